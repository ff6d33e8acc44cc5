/**
 * Statistics in a real browser against a real server: the admin defines a matrix (queue × created
 * month, X changeable), sees its chart, changes the X axis to priority before running again, sees
 * the new chart, downloads the CSV (with its content checked), and puts the statistic on the
 * dashboard, where it shows as a chart; then defines a list with a queue filter changeable before
 * run, runs it with another queue, and schedules a weekly report of it (next run shown, run now,
 * the run's PDF and Excel in its history). Screenshots go to test/e2e/screenshots/.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';

/** The session cookie of a signed-in page, for checking through the API what the page did. */
async function cookieOf(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

let server: TestServer;
let browser: Browser;
const track = screenshotOnFailure();

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
}, 300_000);

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
    await page.getByRole('button', { name: 'New statistic' }).click();
    const form = page.getByRole('form', { name: 'New statistic' });
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

  it('defines a list with a filter changeable before run, changes the filter, and schedules a report of it', async () => {
    const page = track(await browser.newPage({ viewport: { width: 1280, height: 900 } }));
    await signIn(page, server.url, '/agent/stats');
    await page.getByRole('button', { name: 'New statistic' }).click();
    const form = page.getByRole('form', { name: 'New statistic' });
    await form.getByLabel('Kind').selectOption('list');
    await form.getByLabel('Name', { exact: true }).fill('Tickets of a queue');
    await form.getByRole('checkbox', { name: 'created', exact: true }).uncheck();
    await form.getByRole('checkbox', { name: 'priority', exact: true }).check();
    await form.getByLabel('Sort by').selectOption('title');
    await form.getByRole('button', { name: 'Add filter' }).click();
    const filter = form.getByRole('group', { name: 'Filter 1' });
    await filter.getByLabel('Filter on').selectOption('queue');
    await filter.getByLabel('Values').fill('Misc');
    await filter.getByLabel('Changeable before run').check();
    await form.getByRole('button', { name: 'Save and run' }).click();
    await page.getByRole('heading', { name: 'Tickets of a queue' }).waitFor();
    const table = page.locator('table.stat');
    await expect.poll(() => table.locator('thead th').allInnerTexts()).toEqual(['tn', 'title', 'queue', 'state', 'priority']);
    await expect.poll(() => table.locator('tbody tr td:nth-child(2)').allInnerTexts()).toEqual(['Mail', 'Printer']);
    await screenshot(page, 'stats-list-defined');

    // The filter is changeable: another queue before running.
    await page.getByLabel('Filter queue').fill('Raw');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => table.locator('tbody tr td:nth-child(2)').allInnerTexts()).toEqual(['VPN']);
    expect(await table.locator('tbody tr td:nth-child(3)').allInnerTexts()).toEqual(['Raw']);
    await screenshot(page, 'stats-list-filter-changed');

    // A weekly report of it, mailed as PDF and Excel.
    await page.getByRole('button', { name: 'Reports' }).click();
    const reports = page.getByRole('region', { name: 'Reports' });
    await reports.getByRole('button', { name: 'New report' }).click();
    const rf = reports.getByRole('form', { name: 'New report' });
    await rf.getByLabel('Name', { exact: true }).fill('Weekly queue list');
    await rf.getByRole('checkbox', { name: 'Tickets of a queue' }).check();
    await rf.getByRole('checkbox', { name: 'Excel' }).check();
    await rf.getByLabel('Recipients').fill('lead@example.com');
    await rf.getByLabel('On a schedule').check();
    await rf.getByLabel('Cron expression').fill('0 7 * * 1');
    await rf.getByLabel('Time zone').fill('Europe/Berlin');
    await rf.getByRole('button', { name: 'Save report' }).click();
    await reports.getByText('Report "Weekly queue list" saved.').waitFor();
    const row = reports.locator('table.reports tbody tr').filter({ hasText: 'Weekly queue list' });
    expect(await row.locator('td').nth(1).innerText()).toBe('0 7 * * 1 (Europe/Berlin)');
    expect(await row.locator('[data-next-run]').innerText()).not.toBe('–');
    expect(await row.locator('td').nth(3).innerText()).toBe('lead@example.com');
    // The job behind the schedule is due at the next Monday 07:00 in Berlin.
    const api = await fetch(`${server.url}/api/v1/reports`, { headers: { cookie: await cookieOf(page) } });
    const [report] = ((await api.json()) as Array<{ definition: { name: string }; nextRunAt: string }>).filter((r) => r.definition.name === 'Weekly queue list');
    const next = new Date(report!.nextRunAt);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('Monday 07:00');

    await row.getByRole('button', { name: 'Run now' }).click();
    await reports.getByText('Report "Weekly queue list" ran.').waitFor();
    const history = reports.locator('ul.runs li').first();
    await history.getByText('mailed to lead@example.com').waitFor();
    expect(await history.getByRole('link').allInnerTexts()).toEqual(['Weekly-queue-list.pdf', 'Weekly-queue-list.xlsx']);
    await screenshot(page, 'stats-report-scheduled');
  });
});
