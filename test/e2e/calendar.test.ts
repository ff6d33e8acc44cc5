/**
 * The calendar in a real browser against a real server: the agent drags in today's column of the
 * week view to create an appointment, makes it weekly and links a ticket; changes only the next
 * week's occurrence; then sees the appointment in the ticket zoom ("Linked appointments") and on
 * the dashboard. Screenshots go to test/e2e/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiClient, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
const newPage = pageOpener(() => browser, 'calendar-');

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('calendar', () => {
  it('creates a repeating appointment by dragging, changes one occurrence, and shows it in the ticket zoom and the dashboard', async () => {
    const admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    const groups = await admin('GET', '/api/v1/groups?perPage=100');
    const users = (groups.body.items as Array<{ id: number; name: string }>).find((g) => g.name === 'users')!;
    const cal = await admin('POST', '/api/v1/calendars', { name: 'Team', color: '#2e7d32', groupId: users.id });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    const ticket = await admin('POST', '/api/v1/tickets', { title: 'Server room visit', queue: 'Misc', article: { body: 'Plan a visit.' } });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);

    const page = await newPage();
    await signIn(page, server.url, '/agent/calendar');
    const today = page.locator('.ec-time-grid .ec-body .ec-day.ec-today').first();
    await today.waitFor();
    await today.scrollIntoViewIfNeeded();
    const box = (await today.boundingBox())!;
    // Drag down over about an hour in today's column.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.55);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.58, { steps: 8 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.6, { steps: 8 });
    await page.mouse.up();
    const dialog = page.getByRole('dialog', { name: 'New appointment' });
    await dialog.waitFor();
    await dialog.getByLabel('Title').fill('Team sync');
    await dialog.getByLabel('Location').fill('Room 4');
    await dialog.getByLabel('Repeat').selectOption('weekly');
    await dialog.getByLabel('Times').fill('4');
    await dialog.getByLabel('Linked tickets (ids)').fill(String(ticket.body.id));
    await screenshot(page, 'calendar-new-appointment');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.ec-event', { hasText: 'Team sync' }).first().waitFor();

    // The month view shows the weekly occurrences; change only the second one.
    await page.getByRole('button', { name: 'Month' }).click();
    await expect.poll(() => page.locator('.ec-event', { hasText: 'Team sync' }).count()).toBeGreaterThanOrEqual(2);
    const list = await admin('GET', `/api/v1/calendars/appointments?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 40 * 86_400_000).toISOString()}`);
    const occurrences = (list.body.items as Array<{ title: string; occurrence: string; id: number }>).filter((o) => o.title === 'Team sync');
    expect(occurrences).toHaveLength(4);
    await page.locator('.ec-event', { hasText: 'Team sync' }).nth(1).click();
    const edit = page.getByRole('dialog', { name: 'Appointment' });
    await edit.waitFor();
    await edit.getByLabel('Change').selectOption('this');
    await edit.getByLabel('Title').fill('Team sync (moved)');
    await screenshot(page, 'calendar-edit-occurrence');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await page.locator('.ec-event', { hasText: 'Team sync (moved)' }).first().waitFor();
    await screenshot(page, 'calendar-month');
    const after = await admin('GET', `/api/v1/calendars/appointments?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 40 * 86_400_000).toISOString()}`);
    const titles = (after.body.items as Array<{ title: string; start: string; ticketIds: number[] }>).filter((o) => o.title.startsWith('Team sync'));
    expect(titles.map((o) => o.title)).toEqual(['Team sync', 'Team sync (moved)', 'Team sync', 'Team sync']);
    expect(titles.every((o) => o.ticketIds.includes(ticket.body.id))).toBe(true);

    // The ticket zoom lists the linked appointments and offers a new one.
    await page.goto(`${server.url}/agent/tickets/${ticket.body.id}`);
    const panel = page.locator('[data-panel="appointments"]');
    await panel.getByText('Team sync (moved)').waitFor();
    expect(await panel.getByRole('link', { name: 'Team sync', exact: true }).count()).toBe(3);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'calendar-ticket-zoom');
    await panel.getByRole('link', { name: 'New appointment' }).click();
    const fromZoom = page.getByRole('dialog', { name: 'New appointment' });
    await fromZoom.waitFor();
    expect(await fromZoom.getByLabel('Linked tickets (ids)').inputValue()).toBe(String(ticket.body.id));
    await fromZoom.getByRole('button', { name: 'Cancel' }).click();

    // The dashboard widget shows today's occurrence.
    await page.goto(`${server.url}/agent`);
    const widget = page.locator('[data-widget="appointments"]');
    await widget.getByText('Team sync', { exact: true }).waitFor();
    await widget.scrollIntoViewIfNeeded();
    await screenshot(page, 'calendar-dashboard');
  }, 120_000);
});
