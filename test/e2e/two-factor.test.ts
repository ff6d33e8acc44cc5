/**
 * Two-factor login in a real browser against a real server: an agent sets up TOTP in the
 * preferences by scanning the QR code (the test reads the QR image back with pngjs + jsQR and
 * computes the code with otpauth, as a phone would), sees the recovery codes once, signs out, and
 * signs in again with password and code. Screenshots go to test/e2e/screenshots/.
 */
import jsQR from 'jsqr';
import { TOTP, URI } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, screenshot, screenshotOnFailure, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
const track = screenshotOnFailure('two-factor-');

const LOGIN = 'nora';
const PASSWORD = 'Nora-agent-pw-7';

/** Creates the agent through the admin API. */
async function createAgent(base: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/v1/agents`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ login: LOGIN, firstName: 'Nora', lastName: 'Quist', email: 'nora@example.test', password: PASSWORD, groups: { users: ['rw'] } }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** What an authenticator app does with the QR image: decode it, read the otpauth URI. */
function scanQr(dataUri: string): TOTP {
  const png = PNG.sync.read(Buffer.from(dataUri.replace(/^data:image\/png;base64,/, ''), 'base64'));
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(found, 'a QR code in the image').not.toBeNull();
  const otp = URI.parse(found!.data);
  expect(otp).toBeInstanceOf(TOTP);
  return otp as TOTP;
}

async function signInWithPassword(page: Page) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Login').fill(LOGIN);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('two-factor login in the browser', () => {
  beforeAll(async () => {
    assertDesignerBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await createAgent(server.url);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an agent sets up TOTP by scanning the QR code, signs out, and signs in with a code', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = track(await context.newPage());
    page.on('pageerror', (e) => console.error('page error:', e.message));

    await signInWithPassword(page);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${server.url}/agent/preferences`);
    const security = page.getByRole('region', { name: 'Two-factor login' });
    await expect.poll(() => security.getByRole('status').first().textContent()).toContain('Off.');
    await security.getByLabel('Confirm with your password').fill(PASSWORD);
    await security.getByRole('button', { name: 'Set up two-factor login' }).click();

    const qr = security.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    await qr.scrollIntoViewIfNeeded();
    await screenshot(page, 'two-factor-1-qr');
    const totp = scanQr((await qr.getAttribute('src'))!);
    expect(totp.issuer).toBe('Helpdesk');
    expect(totp.label).toBe(LOGIN);
    // The key shown for typing is the one in the QR code.
    await expect.poll(() => security.locator('code').first().textContent()).toBe(totp.secret.base32);

    await security.getByLabel('Code').fill(totp.generate());
    await security.getByRole('button', { name: 'Switch on' }).click();
    const codes = security.getByRole('list', { name: 'Recovery codes' });
    await codes.waitFor();
    expect(await codes.getByRole('listitem').count()).toBe(10);
    await expect.poll(() => security.getByRole('status').first().textContent()).toContain('On: codes from an authenticator app.');
    await screenshot(page, 'two-factor-2-recovery-codes');

    // Sign out; the password alone no longer signs in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await signInWithPassword(page);
    const codeField = page.getByLabel('Code from your authenticator app');
    await codeField.waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    // A wrong code is refused and says so.
    const now = totp.generate();
    await codeField.fill(now === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The code is wrong or was used already');
    await screenshot(page, 'two-factor-3-code-asked');

    // The code of the next step (one step of drift is accepted; the setup used the current one).
    await codeField.fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${server.url}/agent/preferences`);
    const after = page.getByRole('region', { name: 'Two-factor login' });
    await expect.poll(() => after.getByRole('status').first().textContent()).toContain('On: codes from an authenticator app.');
    // The recovery codes were shown once: not again on a later visit.
    expect(await after.getByRole('list', { name: 'Recovery codes' }).count()).toBe(0);
    await after.scrollIntoViewIfNeeded();
    await screenshot(page, 'two-factor-4-signed-in');
    await context.close();
  }, 120_000);
});
