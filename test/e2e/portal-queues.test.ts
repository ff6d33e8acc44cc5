/**
 * The customer queues in a real browser against a real server: the admin offers customers two
 * queues in /admin/portal with one as the default; the portal's new-ticket form then offers both,
 * the default preselected, and the ticket goes to the queue the customer chose.
 * Screenshots go to test/e2e/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
const newPage = pageOpener(() => browser);
const CUSTOMER = { email: 'quinn.park@example.org', password: 'Queue-choice-42' };

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the queues customers may open tickets in', () => {
  it('are chosen in /admin/portal and offered in the portal new-ticket form', async () => {
    const admin = await newPage();
    await signIn(admin, server.url, '/admin/portal');
    const queues = admin.getByRole('group', { name: 'Queues customers may open tickets in' });
    await expect.poll(() => queues.getByLabel('Raw').isChecked()).toBe(true);
    await queues.getByLabel('Misc').check();
    await admin.getByLabel(/Default queue/).selectOption({ label: 'Misc' });
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => admin.getByRole('status').filter({ hasText: 'Saved' }).count()).toBe(1);
    await screenshot(admin, 'admin-portal-customer-queues');

    const register = await fetch(`${server.url}/api/v1/auth/customer/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: CUSTOMER.email, firstName: 'Quinn', lastName: 'Park', password: CUSTOMER.password }),
    });
    expect(register.status).toBe(202);

    const page = await newPage();
    await page.goto(`${server.url}/portal/login?next=/portal/tickets/new`);
    await page.getByLabel('Email address').fill(CUSTOMER.email);
    await page.getByLabel('Password', { exact: true }).fill(CUSTOMER.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const form = page.getByRole('form', { name: 'New ticket' });
    await expect.poll(() => form.isVisible(), { timeout: 30_000 }).toBe(true);
    const queue = form.getByLabel('Queue');
    expect(await queue.locator('option').allTextContents()).toEqual(['Misc', 'Raw']);
    expect(await queue.locator('option:checked').textContent()).toBe('Misc');
    await queue.selectOption({ label: 'Raw' });
    await form.getByLabel('Subject').fill('Where does this go?');
    await form.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.type('To the queue I chose.');
    await screenshot(page, 'portal-new-ticket-queue');
    await form.getByRole('button', { name: 'Submit ticket' }).click();
    await page.waitForURL(/\/portal\/tickets\/\d+$/);
    const id = /\/portal\/tickets\/(\d+)$/.exec(page.url())![1];

    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const ticket = (await (await fetch(`${server.url}/api/v1/tickets/${id}`, { headers: { cookie } })).json()) as { queue: { name: string } };
    expect(ticket.queue.name).toBe('Raw');
  });
});
