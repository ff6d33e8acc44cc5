/**
 * The interface in German, in a real browser against a real server: an agent switches the
 * language to German in the preferences and the dashboard, the ticket zoom with its process dialog
 * and the designer's properties panel are German (a word list finds no English leftovers; dates in
 * German format), and a German translation typed into the properties panel is kept; a customer
 * whose browser asks for German (`locale: 'de-DE'`) sees the portal in German, with the process's
 * German step names; the same pages in English for comparison. Screenshots in both languages go to
 * test/e2e/screenshots/ (languages-*.png).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickElement, openGroup, waitCanvasReady, waitSaved } from './canvas';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
let ticketId: number;

type Api = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
let api: Api;

async function apiClient(base: string): Promise<Api> {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

const CUSTOMER = { login: 'kunde@example.com', firstName: 'Karla', lastName: 'Kunde', email: 'kunde@example.com', customerId: 'kunde-gmbh', password: 'kunde-portal-3' };

/** A leave request whose process, steps, dialog and field carry German texts. */
const LEAVE = {
  format: 'process/1',
  key: 'e2e-leave-i18n',
  name: 'Leave request',
  i18n: { de: { name: 'Urlaubsantrag' } },
  start: { interfaces: ['agent', 'customer'] },
  nodes: [
    { id: 'requested', type: 'startEvent', name: 'Requested', i18n: { de: { name: 'Beantragt' } } },
    {
      id: 'review',
      type: 'userTask',
      name: 'Review',
      i18n: { de: { name: 'Prüfung' } },
      dialog: {
        name: 'Review the request',
        interfaces: ['agent'],
        submitText: 'Decide',
        i18n: { de: { name: 'Antrag prüfen', submitText: 'Entscheiden' } },
        fields: [{ field: 'Title', display: 'shown', label: 'Subject', i18n: { de: { label: 'Betreff' } } }],
      },
    },
    { id: 'done', type: 'endEvent', name: 'Done', i18n: { de: { name: 'Erledigt' } } },
  ],
  transitions: [
    { id: 'toReview', from: 'requested', to: 'review' },
    { id: 'toDone', from: 'review', to: 'done' },
  ],
  diagram: {
    shapes: { requested: { x: 100, y: 122, w: 36, h: 36 }, review: { x: 200, y: 100, w: 100, h: 80 }, done: { x: 362, y: 122, w: 36, h: 36 } },
    edges: { toReview: [[136, 140], [200, 140]], toDone: [[300, 140], [362, 140]] },
  },
};

/**
 * English words of the interface that must not show on a German page (whole words, case-sensitive).
 * Content (ticket titles, names, the admin's portal texts) is not in the list.
 */
const ENGLISH = [
  'Dashboard', 'My queues', 'Locked', 'Watched', 'Search', 'Sign out', 'Preferences', 'Loading', 'Customise', 'Reminders', 'Escalations',
  'Process dialogs', 'Nothing', 'total', 'pending', 'closed', 'Articles', 'Linked', 'History', 'Reply', 'Forward', 'Redirect', 'Owner',
  'Responsible', 'Customer', 'Move', 'Pending', 'Priority', 'Close', 'Merge', 'Link', 'Free fields', 'Time units', 'Print', 'Watch', 'Unlock',
  'Lock', 'State', 'Created', 'Type', 'Process', 'Refresh', 'Path taken', 'Submit', 'mandatory', 'Enlarge', 'Fit', 'current', 'done',
  'running', 'waiting', 'Review', 'Decide', 'Subject', 'Requested', 'Offered in', 'Dialog title', 'Dialog description', 'Submit button',
  'Submit advice', 'Dialog fields', 'Assignment', 'Role', 'Label', 'Description', 'Default value', 'Display', 'Shown', 'Field', 'General',
  'Documentation', 'Translations', 'Up', 'Down', 'My tickets', 'New ticket', 'Start a process', 'Account', 'Menu', 'Sign in', 'Email address',
  'Password', 'Forgot', 'Create an account', 'Conversation', 'Send reply', 'Your reply', 'Attachments', 'Last change', 'open', 'new',
  'in progress', 'Show', 'All', 'Open', 'Closed', 'Previous', 'Next', 'Number', 'Title', 'Message', 'Cancel', 'Ticket actions',
];

/** The English words of the list that `text` contains. */
function englishIn(text: string): string[] {
  return ENGLISH.filter((w) => new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u').test(text));
}

/** A German date and time as Intl writes it (`06.12.2026, 15:04`). */
const GERMAN_DATE = /\b\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}\b/;

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
  api = await apiClient(server.url);
  const company = await api('POST', '/api/v1/customers', { customerId: CUSTOMER.customerId, name: 'Kunde GmbH' });
  expect(company.status, JSON.stringify(company.body)).toBe(201);
  const customer = await api('POST', '/api/v1/customer-users', CUSTOMER);
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  expect((await api('POST', '/api/v1/processes', LEAVE)).status).toBe(201);
  expect((await api('POST', `/api/v1/processes/${LEAVE.key}/deploy`, {})).status).toBe(201);
  const created = await api('POST', '/api/v1/process-tickets', {
    process: LEAVE.key,
    ticket: { title: 'Urlaub im März', queue: 'Misc', customerUser: CUSTOMER.login, article: { body: 'Zwei Wochen im März, bitte.' } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  ticketId = created.body.ticketId as number;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const track = screenshotOnFailure('languages-');

async function newPage(context?: BrowserContext): Promise<Page> {
  const page = await (context ?? browser).newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  track(page);
  return page;
}

/** The visible text of the page's main area (or the whole page), for the word list. */
function visibleText(page: Page, selector = 'body'): Promise<string> {
  return page.locator(selector).first().innerText();
}

/** The visible text of the page's `main` without the parts `selector` matches (content, server texts). */
function textWithout(page: Page, selector: string, within = 'main'): Promise<string> {
  return page.evaluate<string>(`(() => {
    const main = document.querySelector(${JSON.stringify(within)});
    const hidden = [...main.querySelectorAll(${JSON.stringify(selector)})];
    hidden.forEach((e) => (e.style.display = 'none'));
    const text = main.innerText;
    hidden.forEach((e) => (e.style.display = ''));
    return text;
  })()`);
}

describe('an agent who chooses German', () => {
  it('sees the dashboard, the ticket zoom with its process dialog and the properties panel in German, dates in German format', async () => {
    const page = await newPage();
    await signIn(page, server.url, '/agent');
    await expect.poll(() => page.getByRole('heading', { name: 'Dashboard', level: 1 }).count()).toBe(1);
    await screenshot(page, 'languages-en-dashboard');

    // Preferences: the language.
    await page.getByTitle('Preferences').click();
    await page.waitForURL(/\/agent\/preferences/);
    await page.locator('select[name="language"]').selectOption('de');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Einstellungen');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('de');

    // The dashboard.
    await page.getByRole('link', { name: 'Übersicht' }).click();
    await page.waitForURL((u) => u.pathname === '/agent');
    await expect.poll(() => page.getByRole('heading', { name: 'Übersicht', level: 1 }).count()).toBe(1);
    await expect.poll(() => page.locator('[data-widget="queues"] table').count()).toBe(1);
    await expect.poll(() => page.getByText('Wird geladen …').count()).toBe(0);
    expect(englishIn(await visibleText(page))).toEqual([]);
    await screenshot(page, 'languages-de-dashboard');

    // The ticket zoom with the process widget and its dialog.
    await page.goto(`${server.url}/agent/tickets/${ticketId}`);
    const form = page.getByRole('form', { name: 'Antrag prüfen' });
    await expect.poll(() => form.isVisible()).toBe(true);
    expect(await form.getByRole('button', { name: 'Entscheiden' }).count()).toBe(1);
    expect(await form.getByLabel('Betreff').count()).toBe(1);
    await expect.poll(() => page.getByTestId('current-node').textContent()).toContain('Prüfung');
    const head = await visibleText(page, 'main .head');
    expect(head).toMatch(GERMAN_DATE);
    expect(head.toLowerCase()).toContain('erstellt');
    // The diagram names its steps in German too (read once it is drawn).
    await expect.poll(() => page.locator('[data-testid="process-widget"] .djs-container').textContent()).toContain('Prüfung');
    // History lines are server texts not translated yet; the word list reads everything else.
    const zoom = await textWithout(page, 'table.history, iframe');
    expect(englishIn(zoom)).toEqual([]);
    await screenshot(page, 'languages-de-ticket');

    // The designer's properties panel of the user task.
    await page.goto(`${server.url}/admin/processes/${LEAVE.key}`);
    await waitCanvasReady(page);
    await clickElement(page, 'review');
    await openGroup(page, 'hd-dialog');
    const panel = page.locator('.bio-properties-panel');
    await expect.poll(() => panel.getByText('Dialogtitel', { exact: true }).count()).toBe(1);
    await openGroup(page, 'hd-i18n');
    // The element's own name in the panel's header is content, and so are the form builder's field
    // labels and its preview of the dialog (the process's own texts, edited in the default language).
    expect(englishIn(await textWithout(page, '.bio-properties-panel-header-label, [data-testid="form-builder"] .name, [data-testid="fb-preview"]', '.bio-properties-panel'))).toEqual([]);
    // The German dialog title is there to edit, and a German step name typed in is kept.
    expect(await panel.getByLabel('Dialogtitel (Deutsch)').inputValue()).toBe('Antrag prüfen');
    await panel.getByLabel('Schrittname (Deutsch)').fill('Prüfung durch HR');
    await panel.getByLabel('Schrittname (Deutsch)').press('Tab');
    await waitSaved(page);
    await screenshot(page, 'languages-de-properties');
    await page.reload();
    await waitCanvasReady(page);
    await clickElement(page, 'review');
    await openGroup(page, 'hd-i18n');
    await expect.poll(() => page.locator('.bio-properties-panel').getByLabel('Schrittname (Deutsch)').inputValue()).toBe('Prüfung durch HR');
    await page.close();
  });
});

describe('a customer whose browser asks for German', () => {
  async function portalTicket(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale });
    const page = await newPage(context);
    await page.goto(`${server.url}/portal/tickets/${ticketId}`);
    await page.waitForURL(/\/portal\/login/);
    return page;
  }

  it('sees the portal in German, with the German step names of the process', async () => {
    const page = await portalTicket('de-DE');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Bei .* anmelden$/);
    // The welcome text is the administrator's own (portal settings), not the interface's.
    const { welcome } = (await (await fetch(`${server.url}/api/v1/portal/settings`)).json()) as { welcome: string };
    expect(englishIn((await visibleText(page)).replace(welcome, ''))).toEqual([]);
    await screenshot(page, 'languages-de-portal-login');
    await page.getByLabel('E-Mail-Adresse').fill(CUSTOMER.email);
    await page.getByLabel('Passwort', { exact: true }).fill(CUSTOMER.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL((u) => u.pathname === `/portal/tickets/${ticketId}`);
    await expect.poll(() => page.getByTestId('process-step').allInnerTexts()).toEqual([expect.stringContaining('Beantragt'), expect.stringContaining('Prüfung')]);
    expect(await page.getByRole('heading', { name: 'Urlaubsantrag' }).count()).toBe(1);
    const text = await textWithout(page, 'iframe');
    expect(text).toMatch(GERMAN_DATE);
    expect(englishIn(text)).toEqual([]);
    await screenshot(page, 'languages-de-portal-ticket');
    await page.goto(`${server.url}/portal`);
    await expect.poll(() => page.getByTestId('ticket-row').count()).toBe(1);
    expect(englishIn(await visibleText(page))).toEqual([]);
    await screenshot(page, 'languages-de-portal-tickets');
    await page.context().close();
  });

  it('an English browser gets the same ticket in English', async () => {
    const page = await portalTicket('en-US');
    await page.getByLabel('Email address').fill(CUSTOMER.email);
    await page.getByLabel('Password', { exact: true }).fill(CUSTOMER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === `/portal/tickets/${ticketId}`);
    await expect.poll(() => page.getByTestId('process-step').allInnerTexts()).toEqual([expect.stringContaining('Requested'), expect.stringContaining('Review')]);
    expect(await page.getByRole('heading', { name: 'Leave request' }).count()).toBe(1);
    await screenshot(page, 'languages-en-portal-ticket');
    await page.context().close();
  });
});
