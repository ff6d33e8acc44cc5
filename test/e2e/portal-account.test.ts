/**
 * The customer portal's account pages in a real browser against a real server: the admin sets the
 * portal's title, colours, logo and registration in /admin/portal and the portal shows them; a
 * customer registers (the password rules tick off while typing; a weak password is refused at its
 * field), signs in, changes the password, signs out and in again; registering an address twice and
 * asking for a reset link for a known and an unknown address answer alike; a reset link sets a new
 * password; with registration switched off the page says so and the server refuses.
 * The server runs with NODE_ENV=development, so reset links are written to its log.
 * Screenshots go to test/e2e/screenshots/.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, contentWidth, launchBrowser, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';

/** The computed background colour of an element (the test's TypeScript has no DOM library). */
type StyleWindow = { getComputedStyle(e: unknown): { backgroundColor: string } };
const background = (l: Locator) => l.evaluate((e) => (globalThis as unknown as StyleWindow).getComputedStyle(e).backgroundColor);


let server: TestServer;
let browser: Browser;
const track = screenshotOnFailure();
const contexts: BrowserContext[] = [];

const EMAIL = 'dana.reyes@example.org';
const FIRST_PASSWORD = 'Sunny-day-42';
const SECOND_PASSWORD = 'Rainy-night-77';
const THIRD_PASSWORD = 'Foggy-morning-13';
const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="36" viewBox="0 0 120 36"><rect width="120" height="36" rx="6" fill="#fde68a"/><text x="60" y="25" font-family="sans-serif" font-size="20" font-weight="700" text-anchor="middle" fill="#7c2d12">ACME</text></svg>';

/** The admin through the API, for setting up what the browser then shows. */
async function adminApi(base: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method: string, url: string, body: unknown) => {
    const res = await fetch(`${base}${url}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.status;
  };
}

/** A fresh browser (own cookies) at the given size. */
async function newPage(width = 1280, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  track(page);
  return page;
}

async function customerSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Which rules the checklist shows as met, by rule id. */
async function rulesMet(page: Page): Promise<Record<string, boolean>> {
  const items = page.getByRole('list', { name: 'Password rules' }).getByRole('listitem');
  const out: Record<string, boolean> = {};
  for (const item of await items.all()) out[(await item.getAttribute('data-rule'))!] = (await item.getAttribute('data-met')) === 'true';
  return out;
}

beforeAll(async () => {
  assertDesignerBuilt();
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development'; // the server logs reset links (no mail yet)
  try {
    server = await startServer();
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});


describe('the customer portal account pages', () => {
  it('shows the title, colours, logo and welcome text the admin sets in /admin/portal', async () => {
    const admin = await newPage();
    await signIn(admin, server.url, '/admin/portal');
    await expect.poll(() => admin.getByRole('link', { name: 'Customer portal' }).getAttribute('aria-current')).toBe('page');
    await admin.getByLabel('Title').fill('Acme Support');
    await admin.getByLabel(/Welcome text/).fill('Welcome to Acme. Sign in to follow your orders.');
    await admin.getByLabel(/Primary colour/).fill('#0f766e');
    await admin.getByLabel('Header colour').fill('#7c2d12');
    await admin.locator('#portal-logo-file').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(LOGO_SVG) });
    const preview = admin.getByTestId('portal-preview');
    await expect.poll(() => preview.getByRole('img', { name: 'Acme Support' }).count()).toBe(1);
    // The preview follows the colours before anything is saved.
    expect(await background(preview.locator('.p-head'))).toBe('rgb(124, 45, 18)');
    const registration = admin.getByLabel('Customers may register themselves');
    await registration.check();
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => admin.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);
    await screenshot(admin, 'admin-portal-settings');

    // Saved on the server, not only on the page.
    const stored = (await (await fetch(`${server.url}/api/v1/portal/settings`)).json()) as { logoUrl: string | null };
    expect(stored).toMatchObject({ title: 'Acme Support', colors: { primary: '#0f766e', header: '#7c2d12' }, registrationEnabled: true });
    expect(stored.logoUrl).toMatch(/^data:image\/svg\+xml;base64,/);

    // The admin's (agent) session in the portal counts as signed out, and the page says why.
    await admin.goto(`${server.url}/portal/account`);
    await admin.waitForURL((u) => u.pathname === '/portal/login' && u.searchParams.get('next') === '/portal/account');
    await expect.poll(() => admin.getByText('You are signed in as the agent admin').count()).toBe(1);

    const visitor = await newPage();
    await visitor.goto(`${server.url}/portal/login`);
    await expect.poll(() => visitor.title()).toBe('Sign in · Acme Support');
    const header = visitor.locator('header').first();
    expect(await header.getByRole('img', { name: 'Acme Support' }).count()).toBe(1);
    expect(await background(header)).toBe('rgb(124, 45, 18)');
    const signInButton = visitor.getByRole('button', { name: 'Sign in', exact: true });
    expect(await background(signInButton)).toBe('rgb(15, 118, 110)');
    expect(await visitor.getByText('Welcome to Acme. Sign in to follow your orders.').count()).toBe(1);
    expect(await visitor.getByRole('link', { name: 'Create an account' }).count()).toBe(1);
    // Signed out: no portal navigation.
    expect(await visitor.getByRole('navigation').count()).toBe(0);
    await screenshot(visitor, 'portal-login');

    const phone = await newPage(390, 844);
    await phone.goto(`${server.url}/portal/login`);
    await expect.poll(() => phone.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(1);
    expect(await contentWidth(phone)).toBeLessThanOrEqual(390);
    expect((await phone.getByRole('button', { name: 'Sign in', exact: true }).boundingBox())!.height).toBeGreaterThanOrEqual(40);
    expect((await phone.getByLabel('Email address').boundingBox())!.height).toBeGreaterThanOrEqual(40);
    await screenshot(phone, 'portal-login-phone');
  });

  it('registers a customer, who signs in, changes the password, signs out and in with the new one', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/portal/login`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/register');
    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel('First name').fill('Dana');
    await page.getByLabel('Last name').fill('Reyes');

    // The checklist starts with nothing met and ticks off rules as the password grows.
    const password = page.getByLabel('Password', { exact: true });
    await expect.poll(() => rulesMet(page)).toEqual({ length: false, letter: false, digit: false });
    await password.pressSequentially('Sunny');
    await expect.poll(() => rulesMet(page)).toEqual({ length: false, letter: true, digit: false });

    // A weak password: the server refuses it and says why at the password field.
    await page.getByLabel('Repeat the password').fill('Sunny');
    await page.getByRole('button', { name: 'Create account' }).click();
    const passwordError = page.locator('#password-error');
    await expect.poll(() => passwordError.textContent()).toMatch(/at least 10 characters/);
    expect(await passwordError.getAttribute('role')).toBe('alert');
    expect(await password.getAttribute('aria-invalid')).toBe('true');

    await password.fill('');
    // Editing the password clears the refusal.
    expect(await passwordError.count()).toBe(0);
    await password.pressSequentially(FIRST_PASSWORD.slice(0, 6)); // "Sunny-": a symbol now
    await expect.poll(() => rulesMet(page)).toEqual({ length: false, letter: true, digit: true });
    await password.pressSequentially(FIRST_PASSWORD.slice(6));
    await expect.poll(() => rulesMet(page)).toEqual({ length: true, letter: true, digit: true });
    expect(await password.inputValue()).toBe(FIRST_PASSWORD);
    expect(await page.getByRole('list', { name: 'Password rules' }).getByText('✓').count()).toBe(3);
    await page.getByLabel('Repeat the password').fill(FIRST_PASSWORD);
    await screenshot(page, 'portal-register');
    await page.getByRole('button', { name: 'Create account' }).click();
    const done = page.getByRole('status');
    await expect.poll(() => done.count()).toBe(1);
    const firstAnswer = (await done.textContent())!.trim();
    expect(firstAnswer.length).toBeGreaterThan(10);

    // The same address again: the very same answer (nothing tells that the address has an account).
    const again = await newPage();
    await again.goto(`${server.url}/portal/register`);
    await again.getByLabel('Email address').fill(EMAIL.toUpperCase());
    await again.getByLabel('First name').fill('Someone');
    await again.getByLabel('Last name').fill('Else');
    await again.getByLabel('Password', { exact: true }).fill('Another-pass-99');
    await again.getByLabel('Repeat the password').fill('Another-pass-99');
    await again.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => again.getByRole('status').count()).toBe(1);
    expect((await again.getByRole('status').textContent())!.trim()).toBe(firstAnswer);

    // Sign in, coming back to the page asked for.
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/login');
    await customerSignIn(page, EMAIL, FIRST_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/portal');
    const nav = page.getByRole('navigation', { name: 'Portal' });
    await nav.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/account');
    await expect.poll(() => page.getByRole('heading', { name: 'Dana Reyes' }).count()).toBe(1);
    expect(await page.getByText(EMAIL).count()).toBeGreaterThan(0);
    // A self-registered customer sees only their own tickets.
    expect(await nav.getByRole('link', { name: 'Company tickets' }).count()).toBe(0);

    // A wrong current password is refused at its field.
    await page.getByLabel('Current password').fill('not-my-password-1');
    await page.getByLabel('New password', { exact: true }).fill(SECOND_PASSWORD);
    await page.getByLabel('Repeat the new password').fill(SECOND_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.locator('#currentPassword-error').count()).toBe(1);
    expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Current password').fill(FIRST_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Your password has been changed' }).count()).toBe(1);
    expect(await page.getByLabel('Current password').inputValue()).toBe('');
    await screenshot(page, 'portal-account');

    await nav.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/login');
    // Signed out, the account page sends to the login again.
    await page.goto(`${server.url}/portal/account`);
    await page.waitForURL((u) => u.pathname === '/portal/login');
    await customerSignIn(page, EMAIL, FIRST_PASSWORD);
    await expect.poll(() => page.getByRole('alert').count()).toBe(1);
    expect(page.url()).toContain('/portal/login');
    await customerSignIn(page, EMAIL, SECOND_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/portal/account');
    await expect.poll(() => page.getByRole('heading', { name: 'Dana Reyes' }).count()).toBe(1);

    // On a phone the navigation sits behind a menu button; no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.isVisible()).toBe(true);
    expect(await nav.getByRole('link', { name: 'My tickets' }).isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    const myTickets = nav.getByRole('link', { name: 'My tickets' });
    expect(await myTickets.isVisible()).toBe(true);
    expect((await myTickets.boundingBox())!.height).toBeGreaterThanOrEqual(40);
    expect(await contentWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'portal-account-phone-menu');
  });

  it('answers a forgotten password alike for a known and an unknown address, and the reset link sets a new password', async () => {
    const answers: string[] = [];
    for (const email of [EMAIL, 'nobody.here@example.org']) {
      const page = await newPage();
      await page.goto(`${server.url}/portal/login`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.waitForURL((u) => u.pathname === '/portal/forgot');
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await expect.poll(() => page.getByRole('status').count()).toBe(1);
      answers.push((await page.getByRole('status').textContent())!.trim());
    }
    expect(answers[0]!.length).toBeGreaterThan(10);
    expect(answers[1]).toBe(answers[0]);

    // Development: the link is in the server's log (once, for the known address only).
    let token = '';
    await expect
      .poll(() => {
        token = /\/portal\/reset\?token=([A-Za-z0-9_-]+)/.exec(server.output())?.[1] ?? '';
        return token;
      })
      .not.toBe('');

    const page = await newPage();
    await page.goto(`${server.url}/portal/reset?token=not-a-real-token`);
    await page.getByLabel('New password', { exact: true }).fill(THIRD_PASSWORD);
    await page.getByLabel('Repeat the new password').fill(THIRD_PASSWORD);
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Ask for a new link' }).count()).toBe(1);

    await page.goto(`${server.url}/portal/reset?token=${token}`);
    const password = page.getByLabel('New password', { exact: true });
    await password.pressSequentially(THIRD_PASSWORD);
    await expect.poll(() => rulesMet(page)).toEqual({ length: true, letter: true, digit: true });
    await page.getByLabel('Repeat the new password').fill(THIRD_PASSWORD);
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Your password has been changed' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/login');
    await customerSignIn(page, EMAIL, THIRD_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/portal');
  });

  it('shows "Company tickets" and the company to a customer who may see the company\'s tickets', async () => {
    const api = await adminApi(server.url);
    expect(await api('POST', '/api/v1/customers', { customerId: 'acme-ltd', name: 'Acme Ltd' })).toBe(201);
    const user = { login: 'sam@acme.example', firstName: 'Sam', lastName: 'Okafor', email: 'sam@acme.example', customerId: 'acme-ltd', password: 'Company-pass-1', canSeeCompanyTickets: true };
    expect(await api('POST', '/api/v1/customer-users', user)).toBe(201);

    const page = await newPage();
    await page.goto(`${server.url}/portal/account`);
    await page.waitForURL((u) => u.pathname === '/portal/login');
    await customerSignIn(page, user.email, user.password);
    await page.waitForURL((u) => u.pathname === '/portal/account');
    const nav = page.getByRole('navigation', { name: 'Portal' });
    await expect.poll(() => nav.getByRole('link', { name: 'Company tickets' }).count()).toBe(1);
    expect(await page.getByText('acme-ltd').count()).toBe(1);
  });

  it('with registration switched off, the register page says so and the server refuses', async () => {
    const admin = await newPage();
    await signIn(admin, server.url, '/admin/portal');
    const registration = admin.getByLabel('Customers may register themselves');
    await expect.poll(() => registration.isChecked()).toBe(true);
    await registration.uncheck();
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => admin.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);

    const page = await newPage();
    await page.goto(`${server.url}/portal/login`);
    await expect.poll(() => page.getByRole('link', { name: 'Forgot your password?' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
    await page.goto(`${server.url}/portal/register`);
    await expect.poll(() => page.getByText('Registration is switched off').count()).toBe(1);
    expect(await page.getByLabel('Email address').count()).toBe(0);

    const refused = await fetch(`${server.url}/api/v1/auth/customer/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'late.comer@example.org', firstName: 'Late', lastName: 'Comer', password: 'Late-comer-2024' }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('REGISTRATION_DISABLED');
    // Nothing was created: the address cannot sign in.
    const login = await fetch(`${server.url}/api/v1/auth/customer/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'late.comer@example.org', password: 'Late-comer-2024' }) });
    expect(login.status).toBe(401);
  });
});
