/**
 * The customer portal's tickets and processes in a real browser against a real server: a customer
 * registers and signs in through the portal, opens a ticket (rich text, an attachment, a
 * customer-visible field), starts a process ticket and fills its start dialog; an agent answers the
 * next (agent) dialog through the API with an internal note; the customer sees the customer dialog
 * that follows, submits it and sees the process completed, never an internal note nor an unlabelled
 * node; a reply reopens a closed ticket; a second customer gets "Ticket not found" (and a 404 from
 * the API) for the first one's ticket. Screenshots of the portal pages go to test/e2e/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, contentWidth, launchBrowser, screenshot, screenshotOnFailure, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;

type Api = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

/** A signed-in API client (the admin, acting as the agent), for setting up and moving the process. */
async function adminClient(base: string): Promise<Api> {
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

/** A GET with the browser page's own session (the customer's cookie), as the portal's calls go. */
function asCustomer(page: Page, url: string): Promise<{ status: number; text: string }> {
  return page.evaluate(async (u) => {
    const res = await fetch(u, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    return { status: res.status, text: await res.text() };
  }, url);
}

let admin: Api;

/** Words that only the agent side may see: an internal note's text and nodes the admin did not label. */
const SECRET_NOTE = 'Supplier margin 40 percent';
const SECOND_NOTE = 'Customer seems impatient';
const UNLABELLED = ['assessInternal', 'finishInternal'];

/** Received → the agent's repair offer → the customer's confirmation → an end without a label. */
const REPAIR = {
  format: 'process/1',
  key: 'e2e-portal-repair',
  name: 'Device repair',
  description: 'Send in a broken device; we make an offer and you confirm it.',
  start: {
    interfaces: ['customer'],
    dialog: {
      name: 'Report a broken device',
      interfaces: ['customer'],
      fields: [
        { field: 'Title', display: 'mandatory', label: 'Short summary' },
        { field: 'DynamicField_Device', display: 'mandatory', label: 'Device' },
        { field: 'Article', display: 'shown', label: 'What happened?' },
      ],
      submitText: 'Send request',
    },
  },
  nodes: [
    { id: 'received', type: 'startEvent', name: 'Request received' },
    {
      id: 'assessInternal',
      type: 'userTask',
      name: 'Repair offer',
      dialog: {
        name: 'Make a repair offer',
        interfaces: ['agent'],
        fields: [
          { field: 'DynamicField_RepairOffer', display: 'mandatory' },
          { field: 'Article', display: 'shown', label: 'Internal note', visibleForCustomer: false },
        ],
        submitText: 'Send offer',
      },
    },
    {
      id: 'confirm',
      type: 'userTask',
      name: 'Your confirmation',
      dialog: {
        name: 'Confirm the repair',
        description: 'We can repair your device for the price we sent you.',
        interfaces: ['customer'],
        fields: [{ field: 'DynamicField_RepairAccepted', display: 'mandatory', label: 'Go ahead with the repair?' }],
        submitText: 'Confirm',
      },
    },
    { id: 'finishInternal', type: 'endEvent' },
  ],
  transitions: [
    { id: 'toAssess', from: 'received', to: 'assessInternal' },
    { id: 'toConfirm', from: 'assessInternal', to: 'confirm' },
    { id: 'toEnd', from: 'confirm', to: 'finishInternal' },
  ],
  diagram: {
    shapes: {
      received: { x: 100, y: 122, w: 36, h: 36 },
      assessInternal: { x: 200, y: 100, w: 100, h: 80 },
      confirm: { x: 360, y: 100, w: 100, h: 80 },
      finishInternal: { x: 522, y: 122, w: 36, h: 36 },
    },
    edges: { toAssess: [[136, 140], [200, 140]], toConfirm: [[300, 140], [360, 140]], toEnd: [[460, 140], [522, 140]] },
  },
};

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
  admin = await adminClient(server.url);
  for (const field of [
    { name: 'Product', label: 'Product', fieldType: 'dropdown', customerVisible: true, config: { possibleValues: { printer: 'Printer', laptop: 'Laptop' } } },
    { name: 'SerialNumber', label: 'Serial number', fieldType: 'text', customerVisible: true, config: { regex: '^[A-Z]{2}[0-9]{4}$' } },
    { name: 'InternalScore', label: 'Internal score', fieldType: 'text', customerVisible: false },
    { name: 'Device', label: 'Device', fieldType: 'dropdown', customerVisible: true, config: { possibleValues: { phone: 'Phone', tablet: 'Tablet' } } },
    { name: 'RepairOffer', label: 'Repair offer', fieldType: 'text', customerVisible: false },
    { name: 'RepairAccepted', label: 'Repair accepted', fieldType: 'dropdown', customerVisible: true, config: { possibleValues: { yes: 'Yes', no: 'No' } } },
  ]) {
    const created = await admin('POST', '/api/v1/dynamic-fields', field);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const created = await admin('POST', '/api/v1/processes', REPAIR);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const deployed = await admin('POST', `/api/v1/processes/${REPAIR.key}/deploy`, {});
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const track = screenshotOnFailure();

async function newPage(width = 1280, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  track(page);
  return page;
}

/** Signs a customer in through the portal's login page, starting from `target`. */
async function portalSignIn(page: Page, email: string, password: string, target = '/portal'): Promise<void> {
  await page.goto(`${server.url}${target}`);
  await page.waitForURL(/\/portal\/login/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === target);
}

/** The process steps shown, as `done: <label>` / `current: <label>`. */
function steps(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="process-step"]', (items) => items.map((li) => `${li.getAttribute('data-state')}: ${li.querySelector('.label')?.textContent ?? ''}`));
}

const ticketIdOf = (page: Page) => Number(/\/portal\/tickets\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1]);

/** The page's text including the article frames (where a leaked note would show). */
async function allText(page: Page): Promise<string> {
  const parts = [await page.locator('body').innerText()];
  for (const frame of page.frames()) if (frame !== page.mainFrame()) parts.push(await frame.locator('body').innerText().catch(() => ''));
  return parts.join('\n');
}

const ALICE = { email: 'alice@example.com', password: 'alice-portal-1' };
const BOB = { email: 'bob@example.com', password: 'bob-portal-22' };
let aliceTicket = 0;
let processTicket = 0;

describe('the customer portal', () => {
  it('registers a customer who opens a ticket with formatted text, an attachment and a customer field', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/portal/register`);
    await page.getByLabel('Email address').fill(ALICE.email);
    await page.getByLabel('First name').fill('Alice');
    await page.getByLabel('Last name').fill('Archer');
    await page.getByLabel('Password', { exact: true }).fill(ALICE.password);
    await page.getByLabel('Repeat the password').fill(ALICE.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Sign in' }).count()).toBe(1);

    await portalSignIn(page, ALICE.email, ALICE.password);
    await expect.poll(() => page.getByText('You have no tickets yet.').count()).toBe(1);

    await page.getByRole('link', { name: 'New ticket' }).first().click();
    await page.waitForURL(/\/portal\/tickets\/new$/);
    const form = page.getByRole('form', { name: 'New ticket' });
    await expect.poll(() => form.isVisible()).toBe(true);
    // The customer-visible field is offered; the other one is not.
    expect(await form.getByLabel('Product').count()).toBe(1);
    expect(await form.getByText('Internal score').count()).toBe(0);

    // Sent without a message: the error is at the message box, nothing is created.
    await form.getByLabel('Subject').fill('Printer jams on every page');
    await form.getByRole('button', { name: 'Submit ticket' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/Describe your request/);
    expect(await form.getByRole('textbox', { name: 'Message' }).getAttribute('aria-invalid')).toBe('true');

    const message = form.getByRole('textbox', { name: 'Message' });
    await message.click();
    await page.keyboard.type('Since Monday it jams. ');
    await form.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('Urgent');
    await form.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type(' Details: ');
    await form.getByRole('button', { name: 'Link' }).click();
    await form.getByLabel('Link address').fill('https://example.com/jam');
    await form.getByRole('button', { name: 'Add link' }).click();
    await page.keyboard.press('Enter');
    await form.getByRole('button', { name: 'Bulleted list' }).click();
    await page.keyboard.type('Tray 2');
    await form.getByLabel('Product').selectOption('printer');
    await page.locator('#new-attachments').setInputFiles({ name: 'error-log.txt', mimeType: 'text/plain', buffer: Buffer.from('E42 paper jam\n') });
    await expect.poll(() => form.getByText('error-log.txt').count()).toBe(1);
    await page.locator('#new-attachments').setInputFiles({ name: 'wrong.txt', mimeType: 'text/plain', buffer: Buffer.from('oops') });
    await form.getByRole('button', { name: 'Remove wrong.txt' }).click();
    expect(await form.getByText('wrong.txt').count()).toBe(0);
    // A serial number the field does not take: the server's error shows at that field.
    await form.getByLabel('Serial number').fill('bad');
    await form.getByRole('button', { name: 'Submit ticket' }).click();
    const serial = form.locator('[data-field="DynamicField_SerialNumber"]');
    await expect.poll(() => serial.getByRole('alert').textContent()).toBe('“Serial number” is not in the expected format.');
    expect(await serial.locator('input').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'portal-new-ticket-error');
    await form.getByLabel('Serial number').fill('AB1234');
    // Changed: the error goes.
    await expect.poll(() => serial.getByRole('alert').count()).toBe(0);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'portal-new-ticket');

    await form.getByRole('button', { name: 'Submit ticket' }).click();
    await page.waitForURL(/\/portal\/tickets\/\d+$/);
    aliceTicket = ticketIdOf(page);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Printer jams on every page');
    // The bold word arrives as bold (sanitised HTML in the article frame), the attachment as a download.
    const body = page.frameLocator('[data-testid="article-html"]').first();
    await expect.poll(() => body.locator('b, strong').first().textContent()).toBe('Urgent');
    expect(await body.locator('a[href="https://example.com/jam"]').count()).toBe(1);
    expect(await body.locator('ul > li').textContent()).toBe('Tray 2');
    const link = page.getByRole('link', { name: 'error-log.txt' });
    await expect.poll(() => link.count()).toBe(1);
    const download = await asCustomer(page, (await link.getAttribute('href'))!);
    expect(download.status).toBe(200);
    expect(download.text).toBe('E42 paper jam\n');
    const ticket = await admin('GET', `/api/v1/tickets/${aliceTicket}`);
    expect((ticket.body.dynamicFields as Record<string, unknown>).Product).toBe('printer');
    expect((ticket.body.dynamicFields as Record<string, unknown>).SerialNumber).toBe('AB1234');
    await page.close();
  });

  it('starts a process ticket, waits for the agent, answers the customer dialog and sees the process completed', async () => {
    const page = await newPage();
    await portalSignIn(page, ALICE.email, ALICE.password, '/portal/processes');
    const card = page.getByRole('link', { name: /Device repair/ });
    await expect.poll(() => card.count()).toBe(1);
    // Only processes customers may start (the shipped onboarding starts from the agent interface only).
    const names = await page.getByRole('list', { name: 'Processes' }).getByRole('link').locator('strong').allTextContents();
    expect(names).toContain('Device repair');
    expect(names).not.toContain('Customer onboarding');
    await screenshot(page, 'portal-processes');

    await card.click();
    const start = page.getByRole('form', { name: 'Report a broken device' });
    await expect.poll(() => start.isVisible()).toBe(true);
    await screenshot(page, 'portal-start-dialog');
    // Without the mandatory device: the server's error shows at that field.
    await start.getByLabel(/Short summary/).fill('Cracked phone screen');
    await start.getByRole('button', { name: 'Send request' }).click();
    await expect.poll(() => start.locator('[data-field="DynamicField_Device"]').getByRole('alert').textContent()).toMatch(/mandatory/i);

    await start.getByLabel(/Device/).selectOption('phone');
    // (The article's text box: its label points past it, so it is found by its place.)
    await start.locator('[data-field="Article"] textarea').fill('Dropped it on the stairs.');
    await start.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/portal\/tickets\/\d+$/);
    processTicket = ticketIdOf(page);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Cracked phone screen');
    const progress = page.getByTestId('portal-process');
    await expect.poll(() => steps(page)).toEqual(['done: Request received', 'current: Repair offer']);
    expect(await progress.getByText('✓').count()).toBe(1);
    expect(await page.getByTestId('process-status').textContent()).toBe('in progress');
    // Nothing to fill in while the agent works on it.
    expect(await page.getByTestId('dialog-form').count()).toBe(0);

    // The agent answers its dialog through the API (with an internal note), adds another internal
    // note and a reply the customer may see.
    const view = await admin('GET', `/api/v1/tickets/${processTicket}/process`);
    const dialog = (view.body.dialogs as Array<{ nodeId: string; tokenId: string }>).find((d) => d.nodeId === 'assessInternal');
    expect(dialog).toBeDefined();
    const answered = await admin('POST', `/api/v1/tickets/${processTicket}/dialogs/assessInternal`, {
      tokenId: dialog!.tokenId,
      fields: { DynamicField_RepairOffer: '89 EUR', Article: { subject: 'Offer', body: SECRET_NOTE } },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect((await admin('POST', `/api/v1/tickets/${processTicket}/articles`, { channel: 'note', visibleForCustomer: false, subject: 'Note', body: SECOND_NOTE })).status).toBe(201);
    expect((await admin('POST', `/api/v1/tickets/${processTicket}/articles`, { channel: 'email', visibleForCustomer: true, subject: 'Your repair', body: 'We can fix it for 89 EUR.' })).status).toBe(201);

    // The customer comes back: the customer dialog that follows is a form now.
    await page.reload();
    const confirm = page.getByRole('form', { name: 'Confirm the repair' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await expect.poll(() => steps(page)).toEqual(['done: Request received', 'done: Repair offer', 'current: Your confirmation']);
    await expect.poll(() => page.getByTestId('portal-article').count()).toBe(2);
    await expect.poll(() => allText(page)).toContain('We can fix it for 89 EUR.');
    await screenshot(page, 'portal-ticket-dialog');

    await confirm.getByLabel(/Go ahead with the repair/).selectOption('yes');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.getByTestId('process-status').textContent()).toBe('completed');
    expect(await page.getByTestId('dialog-form').count()).toBe(0);
    expect(await steps(page)).toEqual(['done: Request received', 'done: Repair offer', 'done: Your confirmation']);
    await screenshot(page, 'portal-ticket-completed');
    const after = await admin('GET', `/api/v1/tickets/${processTicket}`);
    expect((after.body.dynamicFields as Record<string, unknown>).RepairAccepted).toBe('yes');

    // Never an internal note nor an unlabelled node: not on the page, not in the customer's API answers.
    const text = await allText(page);
    for (const secret of [SECRET_NOTE, SECOND_NOTE, ...UNLABELLED]) expect(text).not.toContain(secret);
    for (const url of [`/api/v1/tickets/${processTicket}/articles`, `/api/v1/tickets/${processTicket}/process`, `/api/v1/tickets/${processTicket}`]) {
      const answer = await asCustomer(page, url);
      expect(answer.status).toBe(200);
      for (const secret of [SECRET_NOTE, SECOND_NOTE, ...UNLABELLED]) expect(answer.text).not.toContain(secret);
    }

    // On a phone: no sideways scrolling, the steps and the conversation still there.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => contentWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'portal-ticket-phone');
    await page.close();
  });

  it('lists my tickets with state and last change, filters and searches them; a reply reopens a closed ticket', async () => {
    expect((await admin('PATCH', `/api/v1/tickets/${aliceTicket}`, { state: 'closed successful' })).status).toBe(200);
    const page = await newPage();
    await portalSignIn(page, ALICE.email, ALICE.password);
    const rows = page.getByTestId('ticket-row');
    await expect.poll(() => rows.count()).toBe(2);
    // Last changed first: the first ticket was closed after the process ticket's last step.
    expect(await rows.first().getByRole('link').textContent()).toBe('Printer jams on every page');
    expect(await rows.first().textContent()).toMatch(/closed successful/);
    await screenshot(page, 'portal-my-tickets');

    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => rows.allTextContents()).toHaveLength(1);
    expect(await rows.first().getByRole('link').textContent()).toBe('Cracked phone screen');
    await page.getByRole('button', { name: 'Closed', exact: true }).click();
    await expect.poll(() => rows.first().getByRole('link').textContent()).toBe('Printer jams on every page');
    expect(await rows.count()).toBe(1);
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByLabel('Search tickets').fill('screen');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    // The closed list also has one row: wait for the searched one, not just for one row.
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('Cracked phone screen')]);

    // On a phone the list is cards, without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => contentWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'portal-my-tickets-phone');
    // Every portal page of this part fits a phone's width.
    for (const path of ['/portal/tickets/new', '/portal/processes', `/portal/processes?process=${REPAIR.key}`, `/portal/tickets/${processTicket}`]) {
      await page.goto(`${server.url}${path}`);
      await expect.poll(() => page.locator('main h1').count()).toBe(1);
      expect(await contentWidth(page), path).toBeLessThanOrEqual(390);
    }
    await screenshot(page, 'portal-ticket-phone-process');
    await page.setViewportSize({ width: 1280, height: 900 });

    // A reply to the closed ticket: it is open again and the page says so.
    await page.goto(`${server.url}/portal/tickets/${aliceTicket}`);
    await expect.poll(() => page.getByTestId('ticket-state').textContent()).toBe('closed successful');
    await page.getByRole('textbox', { name: 'Your reply' }).click();
    await page.keyboard.type('It jams again.');
    await page.locator('#reply-attachments').setInputFiles({ name: 'photo-of-jam.txt', mimeType: 'text/plain', buffer: Buffer.from('a photo, in words') });
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => page.getByTestId('portal-article').count()).toBe(2);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'open again' }).count()).toBe(1);
    // The reply form is empty again; the attachment went with the reply.
    expect(await page.getByRole('textbox', { name: 'Your reply' }).textContent()).toBe('');
    expect(await page.getByTestId('portal-article').last().getByRole('link', { name: 'photo-of-jam.txt' }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('ticket-state').textContent()).not.toBe('closed successful');
    const state = await admin('GET', `/api/v1/tickets/${aliceTicket}`);
    expect((state.body.state as { type: string }).type).not.toMatch(/^closed/);
    expect(await page.getByTestId('ticket-state').textContent()).toBe((state.body.state as { name: string }).name);

    // A queue that takes no replies to closed tickets: the reply is refused and a new ticket offered.
    const queue = state.body.queue as { id: number };
    expect((await admin('PATCH', `/api/v1/queues/${queue.id}`, { followUp: 'reject' })).status).toBe(200);
    try {
      expect((await admin('PATCH', `/api/v1/tickets/${aliceTicket}`, { state: 'closed successful' })).status).toBe(200);
      await page.reload();
      await expect.poll(() => page.getByTestId('ticket-state').textContent()).toBe('closed successful');
      await page.getByRole('textbox', { name: 'Your reply' }).click();
      await page.keyboard.type('And again.');
      await page.getByRole('button', { name: 'Send reply' }).click();
      const refused = page.getByRole('alert').filter({ hasText: 'takes no more replies' });
      await expect.poll(() => refused.count()).toBe(1);
      expect(await refused.getByRole('link', { name: 'Open a new ticket' }).count()).toBe(1);
      expect(await page.getByTestId('portal-article').count()).toBe(2);
      await screenshot(page, 'portal-reply-refused');
    } finally {
      await admin('PATCH', `/api/v1/queues/${queue.id}`, { followUp: 'possible' });
    }
    await page.close();
  });

  it("shows the company's tickets to a colleague who may see them, and not to a customer who may not", async () => {
    // Registration made Alice a company of her own (its id is her address); Carol joins it.
    const carol = { login: 'carol@example.com', firstName: 'Carol', lastName: 'Chen', email: 'carol@example.com', customerId: ALICE.email, password: 'carol-portal-3', canSeeCompanyTickets: true };
    const created = await admin('POST', '/api/v1/customer-users', carol);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const page = await newPage();
    await portalSignIn(page, carol.email, carol.password, '/portal/company');
    const rows = page.getByTestId('ticket-row');
    await expect.poll(() => rows.locator('a').allTextContents()).toEqual(['Printer jams on every page', 'Cracked phone screen']);
    // Who opened each one.
    expect(await rows.first().textContent()).toContain(ALICE.email);
    await screenshot(page, 'portal-company-tickets');
    await rows.getByRole('link', { name: 'Cracked phone screen' }).click();
    await page.waitForURL(/\/portal\/tickets\/\d+$/);
    await expect.poll(() => page.getByTestId('process-status').textContent()).toBe('completed');
    // Her own list is empty.
    await page.goto(`${server.url}/portal`);
    await expect.poll(() => page.getByText('You have no tickets yet.').count()).toBe(1);
    await page.close();

    const alice = await newPage();
    await portalSignIn(alice, ALICE.email, ALICE.password, '/portal/company');
    await expect.poll(() => alice.getByText('Company tickets are not available for your account.').count()).toBe(1);
    expect(await alice.getByTestId('ticket-row').count()).toBe(0);
    await alice.close();
  });

  it('pages through a long list, twenty at a time', async () => {
    for (let i = 1; i <= 22; i++) {
      const made = await admin('POST', '/api/v1/tickets', { title: `Toner order ${i}`, queue: 'Misc', customerUser: 'carol@example.com', article: { body: `Order ${i}.` } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    const page = await newPage();
    await portalSignIn(page, 'carol@example.com', 'carol-portal-3');
    const rows = page.getByTestId('ticket-row');
    await expect.poll(() => rows.count()).toBe(20);
    expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('status').textContent()).toBe('1–20 of 22');
    expect(await page.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('status').textContent()).toBe('21–22 of 22');
    // The oldest ones are on the last page.
    expect(await rows.locator('a').allTextContents()).toEqual(['Toner order 2', 'Toner order 1']);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => rows.count()).toBe(20);
    await page.close();
  });

  it("does not show one customer's ticket to another (not found, 404)", async () => {
    const registered = await fetch(`${server.url}/api/v1/auth/customer/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: BOB.email, firstName: 'Bob', lastName: 'Baker', password: BOB.password }),
    });
    expect(registered.status).toBe(202);
    const page = await newPage();
    await portalSignIn(page, BOB.email, BOB.password);
    await expect.poll(() => page.getByText('You have no tickets yet.').count()).toBe(1);
    for (const id of [aliceTicket, processTicket]) {
      await page.goto(`${server.url}/portal/tickets/${id}`);
      await expect.poll(() => page.getByRole('heading', { name: 'Ticket not found' }).count()).toBe(1);
      expect(await allText(page)).not.toMatch(/Printer jams|Cracked phone/);
      expect((await asCustomer(page, `/api/v1/tickets/${id}`)).status).toBe(404);
      expect((await asCustomer(page, `/api/v1/tickets/${id}/articles`)).status).toBe(404);
    }
    expect((await asCustomer(page, `/api/v1/tickets/${processTicket}/process`)).status).toBe(404);
    await page.close();
  });
});
