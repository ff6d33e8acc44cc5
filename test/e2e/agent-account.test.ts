/**
 * The agent's account in a real browser: a new agent whose administrator-given password must be
 * replaced sees only the first-login screen until it is, then the dashboard; the agent enters an
 * out-of-office period in the preferences, and a colleague sees it beside the agent's name in the
 * ticket zoom. Screenshots: test/e2e/screenshots/agent-account-*.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiClient, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof apiClient>>;
const openPage = pageOpener(() => browser, 'agent-account-');

/** A day `days` from today as `YYYY-MM-DD` (UTC, the agent's time zone here). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a new agent', () => {
  it('replaces the given password at the first login, then marks an absence a colleague sees on the ticket', async () => {
    const created = await admin('POST', '/api/v1/agents', {
      login: 'nora', firstName: 'Nora', lastName: 'Neu', email: 'nora@example.test', password: 'given-by-admin-1', changePasswordAtLogin: true, groups: { users: ['rw'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const page = await openPage();
    await page.goto(`${server.url}/agent`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Login').fill('nora');
    await page.getByLabel('Password').fill('given-by-admin-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.getByRole('form', { name: 'Choose your own password' });
    await expect.poll(() => form.isVisible()).toBe(true);
    // Nothing else of the interface shows meanwhile.
    expect(await page.getByRole('navigation').count()).toBe(0);
    await screenshot(page, 'agent-account-first-login');
    await form.getByLabel('The password you were given').fill('given-by-admin-1');
    await form.getByLabel('New password (at least 8 characters)').fill('noras-own-password');
    await form.getByLabel('New password again').fill('noras-own-password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Dashboard', level: 1 }).count()).toBe(1);

    // The absence, in the preferences.
    await page.getByTitle('Preferences').click();
    await page.waitForURL(/\/agent\/preferences/);
    await page.getByLabel('I am out of office').check();
    await page.getByLabel('First day away').fill(day(-1));
    await page.getByLabel('Last day away').fill(day(10));
    await page.getByLabel('Note for colleagues').fill('At the trade fair');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);
    expect((await admin('GET', '/api/v1/agents/out-of-office')).body.items).toEqual([{ agentId: created.body.id, from: day(-1), until: day(10), note: 'At the trade fair' }]);

    // A colleague (the admin) sees it beside Nora as owner.
    const t = await admin('POST', '/api/v1/tickets', { title: 'Stand order', queue: 'Misc', owner: 'nora', article: { body: 'Two chairs.' } });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    const colleague = await openPage();
    await signIn(colleague, server.url, `/agent/tickets/${t.body.id}`);
    const badge = colleague.getByTestId('out-of-office');
    await expect.poll(() => badge.count()).toBe(1);
    expect(await badge.textContent()).toMatch(/out of office until/);
    expect(await badge.getAttribute('title')).toBe('At the trade fair');
    await screenshot(colleague, 'agent-account-owner-away');
  });
});
