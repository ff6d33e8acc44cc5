/**
 * The dashboard's "Process dialogs for me" widget in a real browser against a real server: a
 * process ticket whose task is assigned to the admin shows in the widget, its link opens the
 * ticket zoom, and once the dialog is submitted the widget says nothing waits. Screenshots go to
 * test/e2e/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
const track = screenshotOnFailure();

/** A signed-in API client (the admin), for setting up what the browser then shows. */
async function apiClient(base: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

let api: Awaited<ReturnType<typeof apiClient>>;

/** start → an approval assigned to the admin → end. */
const APPROVAL = {
  format: 'process/1',
  key: 'e2e-my-dialog',
  name: 'Order approval',
  start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'approve', type: 'userTask', name: 'Approve the order', assign: { agent: 'admin' }, dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'approve' },
    { id: 't2', from: 'approve', to: 'end' },
  ],
};

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
  api = await apiClient(server.url);
  expect((await api('POST', '/api/v1/processes', APPROVAL)).status).toBe(201);
  expect((await api('POST', '/api/v1/processes/e2e-my-dialog/deploy', {})).status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});


describe('the dashboard widget of my process dialogs', () => {
  it('lists the dialog assigned to me, opens its ticket, and empties once the dialog is submitted', async () => {
    const created = await api('POST', '/api/v1/process-tickets', { process: 'e2e-my-dialog', ticket: { title: 'Ten chairs for Jo', queue: 'Misc', article: { body: 'Jo orders ten chairs.' } } });
    expect(created.status).toBe(201);
    const ticketId = created.body.ticketId as number;

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    track(page);
    await signIn(page, server.url, '/agent');
    const widget = page.locator('section[data-widget="processDialogs"]');
    const link = widget.getByRole('link', { name: /Approve the order · Ten chairs for Jo/ });
    await expect.poll(() => link.count()).toBe(1);
    expect(await widget.getByText(/for me ·/).count()).toBe(1);
    await screenshot(page, 'agent-dashboard-my-dialogs');

    await link.click();
    await page.waitForURL((u) => u.pathname === `/agent/tickets/${ticketId}`);

    const sent = await api('POST', `/api/v1/tickets/${ticketId}/dialogs/approve`, { fields: { Title: 'Ten chairs for Jo (approved)' } });
    expect(sent.status).toBe(200);
    await page.goto(`${server.url}/agent`);
    await expect.poll(() => widget.getByText('No process dialog waits for you.').count()).toBe(1);
    expect(await widget.getByRole('link', { name: /Approve the order/ }).count()).toBe(0);
  });
});
