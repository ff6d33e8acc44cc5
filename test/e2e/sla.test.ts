/**
 * SLA deadlines in a real browser against a real server: an around-the-clock calendar and three SLAs
 * give one ticket an escalated first response (0 minutes), one a solution due tomorrow and one due in
 * three days. The dashboard's Escalations widget sorts them into Today / Tomorrow / Next week; the
 * ticket zoom shows each deadline with the time left, the escalated one in red. Screenshots go to
 * test/e2e/screenshots/.
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
});
