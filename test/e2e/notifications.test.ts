/**
 * The notification bell in a real browser against a real server: the admin has the queue Misc in
 * *My queues*; another agent opens a ticket there; the bell in the agent header counts it live
 * (no reload), its dropdown lists it, and following the link opens the ticket and marks it read.
 * Screenshots go to test/e2e/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiClient, assertDesignerBuilt, launchBrowser, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
const track = screenshotOnFailure();

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('notification bell', () => {
  it('counts a new ticket in my queues live, lists it, and opens it', async () => {
    const admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    const queues = await admin('GET', '/api/v1/queues?perPage=100');
    const misc = (queues.body.items as Array<{ id: number; name: string }>).find((q) => q.name === 'Misc')!;
    expect((await admin('PUT', '/api/v1/me/preferences', { myQueues: [misc.id] })).status).toBe(200);
    const kim = await admin('POST', '/api/v1/agents', { login: 'kim', firstName: 'Kim', lastName: 'Agent', email: 'kim@example.test', password: 'kim-password-1' });
    expect(kim.status, JSON.stringify(kim.body)).toBe(201);
    expect((await admin('PUT', `/api/v1/agents/${kim.body.id}/permissions`, { groups: { users: ['rw'] } })).status).toBe(200);
    const asKim = await apiClient(server.url, 'kim', 'kim-password-1');

    const page = track(await browser.newPage({ viewport: { width: 1280, height: 800 } }));
    await signIn(page, server.url, '/agent');
    await page.waitForSelector('html[data-live="ready"]');
    const bell = page.getByRole('button', { name: /^Notifications/ });
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications');

    const created = await asKim('POST', '/api/v1/tickets', { title: 'The bell rings', queue: 'Misc', article: { body: 'Please look.' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await page.getByTestId('notification-count').waitFor();
    expect(await page.getByTestId('notification-count').textContent()).toBe('1');
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');

    await bell.click();
    const link = page.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: `New ticket [${created.body.number}] The bell rings` });
    await link.waitFor();
    await screenshot(page, 'notifications-bell');
    await link.click();
    await page.waitForURL((u) => u.pathname === `/agent/tickets/${created.body.id}`);
    await page.getByTestId('notification-count').waitFor({ state: 'detached' });
    const mine = await admin('GET', '/api/v1/notifications');
    expect(mine.body.unread).toBe(0);
    await page.close();
  }, 120_000);
});
