/**
 * SLA deadlines in a real browser against a real server: an around-the-clock calendar and three SLAs
 * give one ticket an escalated first response (0 minutes), one a solution due tomorrow and one due in
 * three days. The dashboard's Escalations widget sorts them into Today / Tomorrow / Next week; the
 * ticket zoom shows each deadline with the time left, the escalated one in red. An administrator
 * creates a business calendar (time zone, working hours, a holiday) and an SLA under it in the admin
 * pages. Screenshots go to test/e2e/screenshots/.
 */
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiClient, assertDesignerBuilt, launchBrowser, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
const track = screenshotOnFailure('sla-');

/** The browser-side bits the page functions use (this file is compiled without the DOM library). */
type El = { tagName: string; textContent: string | null; classList: { contains(c: string): boolean }; querySelectorAll(s: string): ArrayLike<El> };
type StyleWindow = { getComputedStyle(e: unknown): { color: string } };
const color = (l: Locator) => l.evaluate((e) => (globalThis as unknown as StyleWindow).getComputedStyle(e).color);

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('SLA deadlines', () => {
  it('shows escalations on the dashboard and the deadlines in the zoom', async () => {
    const admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    const allDay = [{ from: '00:00', to: '24:00' }];
    const cal = await admin('POST', '/api/v1/business-calendars', { name: 'Around the clock', timeZone: 'UTC', week: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, allDay])) });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    for (const [name, times] of [
      ['Instant', { firstResponseMinutes: 0, updateMinutes: 240, solutionMinutes: 480 }],
      ['Next day', { solutionMinutes: 24 * 60 + 30 }],
      ['Three days', { solutionMinutes: 3 * 24 * 60 + 30 }],
    ] as const) {
      const r = await admin('POST', '/api/v1/slas', { name, calendarId: cal.body.id, ...times });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const tickets: Record<string, number> = {};
    for (const [title, sla] of [['Server down', 'Instant'], ['New laptop', 'Next day'], ['Office move', 'Three days']] as const) {
      const t = await admin('POST', '/api/v1/tickets', { title, queue: 'Misc', sla, owner: 'admin', article: { channel: 'phone', senderType: 'customer', body: 'Please help.' } });
      expect(t.status, JSON.stringify(t.body)).toBe(201);
      tickets[title] = t.body.id;
    }

    const page = track(await browser.newPage({ viewport: { width: 1280, height: 900 } }));
    await signIn(page, server.url, '/agent');
    const widget = page.locator('[data-widget="escalations"]');
    await widget.getByText('Server down').waitFor();
    await widget.getByText('Office move').waitFor();
    const sections = await widget.evaluate((root) => {
      const out: Record<string, string[]> = {};
      let current = '';
      for (const node of Array.from((root as unknown as El).querySelectorAll('h3, li a'))) {
        if (node.tagName === 'H3') current = node.textContent!.trim();
        else (out[current] ??= []).push(node.textContent!.replace(/^\S+\s/, '').trim());
      }
      return out;
    });
    expect(sections).toEqual({ Today: ['Server down'], Tomorrow: ['New laptop'], 'Next week': ['Office move'] });
    await widget.scrollIntoViewIfNeeded();
    await screenshot(page, 'sla-dashboard');

    await page.goto(`${server.url}/agent/tickets/${tickets['Server down']}`);
    const panel = page.getByTestId('sla-panel');
    await panel.waitFor();
    expect(await panel.locator('h2').textContent()).toBe('SLA Instant');
    const first = panel.locator('[data-deadline="first"]');
    expect(await first.textContent()).toMatch(/escalated \d+ min ago/);
    expect(await first.evaluate((el) => (el as unknown as El).classList.contains('escalated'))).toBe(true);
    const update = panel.locator('[data-deadline="update"]');
    // Red (the theme's danger colour), unlike a running deadline.
    const [r, g] = (await color(first)).match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(60);
    expect(await color(update)).not.toBe(await color(first));
    expect(await update.textContent()).toMatch(/3 h (59|5\d) min left|4 h 0 min left/);
    expect(await update.evaluate((el) => (el as unknown as El).classList.contains('escalated'))).toBe(false);
    await screenshot(page, 'sla-zoom');
  });

  it('creates a business calendar and an SLA in the admin pages', async () => {
    const admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    const page = track(await browser.newPage({ viewport: { width: 1280, height: 1000 } }));
    await signIn(page, server.url, '/admin');
    await page.getByRole('link', { name: /^Business calendars/ }).click();
    await page.getByRole('button', { name: 'New business calendar' }).click();
    await page.locator('#f-business-calendars-name').fill('Support hours');
    await page.locator('#f-business-calendars-timeZone').selectOption('Europe/Berlin');
    const week = page.getByTestId('week-editor');
    // A new calendar starts Monday to Friday 09:00–17:00; Monday gets a lunch break, Saturday a morning.
    await week.getByLabel('To, range 1 of Monday').fill('12:00');
    await week.getByRole('button', { name: 'Add range (Monday)' }).click();
    await week.getByLabel('From, range 2 of Monday').fill('13:00');
    await week.getByLabel('To, range 2 of Monday').fill('25:00');
    await week.getByRole('button', { name: 'Add range (Saturday)' }).click();
    await week.getByLabel('To, range 1 of Saturday').fill('12:00');
    const holidays = page.getByTestId('holidays-editor');
    await holidays.getByRole('button', { name: 'Add holiday' }).click();
    await holidays.getByLabel('Date 1').fill('12-25');
    await holidays.getByRole('group', { name: 'Holiday 1' }).getByLabel('every year').check();
    await holidays.getByLabel('Name 1').fill('Christmas Day');
    await page.getByRole('button', { name: 'Create' }).click();
    // A bad time is refused and named at the working hours, nothing is saved.
    const weekError = page.locator('.field', { has: week }).getByRole('alert');
    await expect.poll(() => weekError.textContent()).toMatch(/week\/1\/1\/to|HH:MM|pattern/);
    expect((await admin('GET', '/api/v1/business-calendars?search=Support')).body.items).toEqual([]);
    await week.getByLabel('To, range 2 of Monday').fill('17:00');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Created Support hours.');
    await screenshot(page, 'sla-admin-calendar');
    const cals = (await admin('GET', '/api/v1/business-calendars?search=Support')).body.items as Array<Record<string, unknown>>;
    expect(cals).toHaveLength(1);
    const cal = (await admin('GET', `/api/v1/business-calendars/${cals[0]!.id}`)).body;
    expect(cal).toMatchObject({
      name: 'Support hours',
      timeZone: 'Europe/Berlin',
      week: { 1: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:00' }], 2: [{ from: '09:00', to: '17:00' }], 6: [{ from: '09:00', to: '12:00' }] },
      holidays: [{ date: '12-25', recurring: true, name: 'Christmas Day' }],
    });
    expect(cal.week['0']).toBeUndefined();

    await page.goto(`${server.url}/admin/slas`);
    await page.getByRole('button', { name: 'New SLA' }).click();
    await page.locator('#f-slas-name').fill('Gold');
    await page.locator('#f-slas-firstResponseMinutes').fill('60');
    await page.locator('#f-slas-firstResponseNotify').fill('80');
    await page.locator('#f-slas-solutionMinutes').fill('480');
    await page.locator('#f-slas-calendarId').selectOption({ label: 'Support hours' });
    await page.getByLabel('The customer portal shows “we answer by …”').check();
    await page.getByRole('group', { name: 'Conditions: queues' }).getByLabel('Misc').check();
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Created Gold.');
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'Gold' }).textContent()).toContain('60 min / – / 480 min');
    await screenshot(page, 'sla-admin-sla');
    const slas = (await admin('GET', '/api/v1/slas?search=Gold')).body.items as Array<Record<string, unknown>>;
    const misc = ((await admin('GET', '/api/v1/queues?search=Misc')).body.items as Array<{ id: number; name: string }>).find((q) => q.name === 'Misc')!;
    expect(slas[0]).toMatchObject({ name: 'Gold', firstResponseMinutes: 60, firstResponseNotify: 80, updateMinutes: null, solutionMinutes: 480, calendarId: cal.id, portalVisible: true, conditions: { queueIds: [misc.id] } });

    // Emptying a time clears it, and unticking every condition takes the SLA out of the automatic choice.
    await page.locator('#f-slas-solutionMinutes').fill('');
    await page.getByRole('group', { name: 'Conditions: queues' }).getByLabel('Misc').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved Gold.');
    expect((await admin('GET', `/api/v1/slas/${slas[0]!.id}`)).body).toMatchObject({ solutionMinutes: null, conditions: null });
  });

  it('shows the customer "we answer by" on their ticket when the SLA allows it', async () => {
    const admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    const allDay = [{ from: '00:00', to: '24:00' }];
    const cal = await admin('POST', '/api/v1/business-calendars', { name: 'Always open', timeZone: 'UTC', week: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, allDay])) });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    for (const [name, portalVisible] of [['Promise', true], ['Quiet', false]] as const) {
      const r = await admin('POST', '/api/v1/slas', { name, calendarId: cal.body.id, firstResponseMinutes: 120, portalVisible });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    expect((await admin('POST', '/api/v1/customers', { customerId: 'SLA-CO', name: 'Promise Ltd' })).status).toBe(201);
    const password = 'Customer-pass-2026';
    const cu = await admin('POST', '/api/v1/customer-users', { login: 'pat@promise.test', firstName: 'Pat', lastName: 'Waiting', email: 'pat@promise.test', customerId: 'SLA-CO', password });
    expect(cu.status, JSON.stringify(cu.body)).toBe(201);
    const ids: Record<string, number> = {};
    for (const sla of ['Promise', 'Quiet']) {
      const t = await admin('POST', '/api/v1/tickets', { title: `Printer (${sla})`, queue: 'Misc', sla, customerUser: 'pat@promise.test', article: { channel: 'phone', senderType: 'customer', body: 'The printer jams.' } });
      expect(t.status, JSON.stringify(t.body)).toBe(201);
      ids[sla] = t.body.id;
    }

    const created = new Date((await admin('GET', `/api/v1/tickets/${ids.Promise}`)).body.createdAt as string).getTime();

    const page = track(await browser.newPage({ viewport: { width: 420, height: 800 } }));
    await page.goto(`${server.url}/portal/login`);
    await page.getByLabel('Email address').fill('pat@promise.test');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/portal' || u.pathname === '/portal/');
    await page.goto(`${server.url}/portal/tickets/${ids.Promise}`);
    const promise = page.getByTestId('answer-by');
    await promise.waitFor();
    expect(await promise.textContent()).toMatch(/^We answer by /);
    // Two working hours after creation on an around-the-clock calendar.
    const due = new Date((await promise.locator('time').getAttribute('datetime'))!).getTime();
    expect(Math.abs(due - created - 120 * 60_000)).toBeLessThan(60_000);
    await screenshot(page, 'sla-portal-answer-by');

    // Under an SLA that keeps its times internal the customer sees no promise.
    await page.goto(`${server.url}/portal/tickets/${ids.Quiet}`);
    await page.getByRole('heading', { name: 'Printer (Quiet)' }).waitFor();
    expect(await page.getByTestId('answer-by').count()).toBe(0);
  });
});
