/**
 * Statistics in a real browser against a real server: the admin defines a matrix (queue × created
 * month, X changeable), sees its chart, changes the X axis to priority before running again, sees
 * the new chart, downloads the CSV (with its content checked), and puts the statistic on the
 * dashboard, where it shows as a chart. Screenshots go to test/e2e/screenshots/.
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';

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

describe('statistics', () => {
  it('defines a matrix, changes an axis before running, shows the chart, downloads CSV and adds it to the dashboard', async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    for (const [title, queue, priority] of [['Printer', 'Misc', '3 normal'], ['Mail', 'Misc', '5 very high'], ['VPN', 'Raw', '3 normal']]) {
      const r = await fetch(`${server.url}/api/v1/tickets`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ title, queue, priority, article: { body: 'x' } }) });
      expect(r.status).toBe(201);
    }

    const page = track(await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true }));
    await signIn(page, server.url, '/agent/stats');
    await page.getByRole('button', { name: 'New matrix statistic' }).click();
    const form = page.getByRole('form', { name: 'New matrix statistic' });
    await form.getByLabel('Name', { exact: true }).fill('Tickets per queue');
    await form.getByLabel('X axis', { exact: true }).selectOption('created');
    await form.getByLabel('Y axis', { exact: true }).selectOption('queue');
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByLabel('Default chart').selectOption('stackedBar');
    await form.getByRole('button', { name: 'Save and run' }).click();
    await page.getByRole('heading', { name: 'Tickets per queue' }).waitFor();
    const table = page.locator('table.stat');
    await table.locator('tfoot').waitFor();
    expect(await table.locator('tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^Misc\t2\t2$/), expect.stringMatching(/^Raw\t1\t1$/)]);
    await page.locator('canvas').waitFor();
    await screenshot(page, 'stats-matrix-month');

    await page.getByLabel('Change X axis').selectOption('priority');
    await page.getByLabel('Chart', { exact: true }).selectOption('bar');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => table.locator('thead th').allInnerTexts()).toEqual(['queue', '3 normal', '5 very high', 'Sum']);
    expect(await table.locator('tfoot th').allInnerTexts()).toEqual(['Sum', '2', '1', '3']);
    await page.locator('canvas').waitFor();
    await screenshot(page, 'stats-matrix-priority');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('Tickets-per-queue.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toBe('queue,3 normal,5 very high,Sum\r\nMisc,1,1,2\r\nRaw,1,0,1\r\nSum,2,1,3\r\n');
    await page.getByRole('status').filter({ hasText: 'Downloaded (CSV)' }).waitFor();

    await page.getByRole('button', { name: 'Add to dashboard' }).click();
    await page.getByText('"Tickets per queue" is on your dashboard.').waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const widget = page.locator('[data-widget^="stat-"]');
    await widget.getByRole('heading', { name: /Tickets per queue/ }).waitFor();
    await widget.locator('canvas').waitFor();
    // The widget shows the statistic as defined: per month of creation.
    expect(await widget.locator('tfoot th').allInnerTexts()).toEqual(['Sum', '3', '3']);
    await widget.scrollIntoViewIfNeeded();
    await screenshot(page, 'stats-dashboard-widget');
  });
});
