/**
 * The process parts of the agent interface and the admin area in a real browser against a real
 * server (a small review process deployed through the API): an agent opens a process ticket, sees the diagram with the current task highlighted,
 * submits the dialog without a mandatory field (the error shows at the field), fixes it and sees
 * the next task; "New process ticket" shows a process's start dialog and creates the ticket; an
 * admin creates a queue and a dynamic field (with its live preview). Screenshots go to
 * test/e2e/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;

/** A signed-in API client (the admin), for setting up what the browser then works on. */
async function apiClient(base: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async (method: string, url: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

let api: Awaited<ReturnType<typeof apiClient>>;

/** review (a mandatory note) → approval → end. */
const REVIEW = {
  format: 'process/1',
  key: 'e2e-review',
  name: 'Request review',
  description: 'A request is reviewed, then approved.',
  start: { interfaces: ['agent'] },
  nodes: [
    { id: 'received', type: 'startEvent', name: 'Request received' },
    {
      id: 'review',
      type: 'userTask',
      name: 'Review',
      dialog: {
        name: 'Review the request',
        interfaces: ['agent'],
        fields: [
          { field: 'DynamicField_ReviewNote', display: 'mandatory', description: 'What you found.' },
          { field: 'Priority', display: 'shown', default: '3 normal' },
          { field: 'Article', display: 'shown', label: 'Internal note', visibleForCustomer: false },
        ],
        submitText: 'Reviewed',
        submitAdvice: 'The request goes on to approval.',
      },
    },
    { id: 'approve', type: 'userTask', name: 'Approval', dialog: { name: 'Approve the request', interfaces: ['agent'], fields: [{ field: 'DynamicField_ReviewApproved', display: 'mandatory' }], submitText: 'Decide' } },
    { id: 'done', type: 'endEvent', name: 'Done' },
  ],
  transitions: [
    { id: 'toReview', from: 'received', to: 'review' },
    { id: 'toApprove', from: 'review', to: 'approve' },
    { id: 'toDone', from: 'approve', to: 'done' },
  ],
  diagram: {
    shapes: { received: { x: 100, y: 122, w: 36, h: 36 }, review: { x: 200, y: 100, w: 100, h: 80 }, approve: { x: 360, y: 100, w: 100, h: 80 }, done: { x: 522, y: 122, w: 36, h: 36 } },
    edges: { toReview: [[136, 140], [200, 140]], toApprove: [[300, 140], [360, 140]], toDone: [[460, 140], [522, 140]] },
  },
};

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
  api = await apiClient(server.url);
  // A small review process deployed through the API (with the dynamic fields its dialogs use).
  for (const field of [
    { name: 'ReviewNote', label: 'Review note', fieldType: 'textarea' },
    { name: 'ReviewApproved', label: 'Approved', fieldType: 'dropdown', config: { possibleValues: { yes: 'Yes', no: 'No' } } },
  ]) {
    expect((await api('POST', '/api/v1/dynamic-fields', field)).status).toBe(201);
  }
  expect((await api('POST', '/api/v1/processes', REVIEW)).status).toBe(201);
  expect((await api('POST', '/api/v1/processes/e2e-review/deploy', {})).status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const openPage = pageOpener(() => browser);
const newPage = (width = 1280, height = 900): Promise<Page> => openPage({ width, height });

/** Whether the diagram element `id` carries the marker class `marker`. */
function marked(page: Page, id: string, marker: string): Promise<boolean> {
  return page.evaluate<boolean>(`!!document.querySelector('.djs-element[data-element-id="${id}"].${marker}')`);
}

describe('the process widget of a ticket', () => {
  it('shows the diagram with the current task, reports a missing mandatory field at the field, and moves on after a fix', async () => {
    const created = await api('POST', '/api/v1/process-tickets', {
      process: 'e2e-review',
      ticket: { title: 'New laptop for Jo', queue: 'Misc', article: { body: 'Jo needs a new laptop.' } },
    });
    expect(created.status).toBe(201);
    const ticketId = created.body.ticketId as number;

    // In the ticket zoom of the agent interface.
    const page = await newPage();
    await signIn(page, server.url, `/agent/tickets/${ticketId}`);
    const widget = page.getByTestId('process-widget');
    await expect.poll(() => widget.getByText('Request review').count()).toBeGreaterThan(0);
    // The diagram is drawn, the user task waiting for a dialog is highlighted, the way there marked.
    await expect.poll(() => marked(page, 'review', 'hd-waiting')).toBe(true);
    expect(await marked(page, 'received', 'hd-done')).toBe(true);
    expect(await marked(page, 'toReview', 'hd-taken')).toBe(true);
    expect(await marked(page, 'approve', 'hd-current')).toBe(false);

    const form = page.getByRole('form', { name: 'Review the request' });
    await expect.poll(() => form.isVisible()).toBe(true);
    // Defaults, descriptions and the submit advice of the dialog definition.
    expect(await form.getByLabel(/Priority/).inputValue()).toBe('3 normal');
    expect(await form.getByText('What you found.').count()).toBe(1);
    expect(await form.getByText('The request goes on to approval.').count()).toBe(1);
    await screenshot(page, 'agent-process-widget');
    await widget.getByRole('button', { name: 'Enlarge' }).click();
    await screenshot(page, 'agent-process-diagram-large');
    await page.keyboard.press('Escape');
    await expect.poll(() => widget.getByRole('button', { name: 'Enlarge' }).count()).toBe(1);

    // Submitted without the mandatory note: the server's error shows at that field.
    await form.getByRole('button', { name: 'Reviewed' }).click();
    const note = form.locator('[data-field="DynamicField_ReviewNote"]');
    await expect.poll(() => note.getByRole('alert').textContent()).toMatch(/mandatory/i);
    expect(await note.locator('textarea').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'agent-process-dialog-error');

    // Fixed and sent: the process moves on to the approval.
    await note.locator('textarea').fill('Old one is five years old.');
    await form.getByRole('button', { name: 'Reviewed' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Approve the request' }).count()).toBe(1);
    await expect.poll(() => marked(page, 'approve', 'hd-waiting')).toBe(true);
    expect(await marked(page, 'review', 'hd-done')).toBe(true);
    expect(await marked(page, 'toApprove', 'hd-taken')).toBe(true);
    expect(await page.locator('[data-testid="current-node"][data-node="approve"]').count()).toBe(1);
    await screenshot(page, 'agent-process-next-step');

    // The last step: a dropdown; the process completes.
    const approve = page.getByRole('form', { name: 'Approve the request' });
    await approve.getByLabel(/Approved/).selectOption('yes');
    await approve.getByRole('button', { name: 'Decide' }).click();
    await expect.poll(() => page.getByTestId('process-status').textContent()).toBe('completed');

    const after = await api('GET', `/api/v1/tickets/${ticketId}`);
    expect(JSON.stringify(after.body)).toContain('Old one is five years old.');
    await page.close();
  });

  it('starts a process on a ticket that has none', async () => {
    const ticket = await api('POST', '/api/v1/tickets', { title: 'Printer broken', queue: 'Misc', article: { body: 'It jams.' } });
    expect(ticket.status).toBe(201);
    const ticketId = ((ticket.body.ticket as { id?: number } | undefined)?.id ?? ticket.body.id) as number;
    // On the widget's own page.
    const page = await newPage();
    await signIn(page, server.url, `/agent/process-ticket/${ticketId}`);
    await page.getByLabel('Process to start').selectOption('it-incident');
    // Its start dialog: a missing mandatory field is reported at the field, nothing starts.
    const start = page.getByRole('form', { name: 'Report an incident' });
    await expect.poll(() => start.count()).toBe(1);
    // Prefilled with what the ticket holds now.
    expect(await start.getByLabel('What is broken?').inputValue()).toBe('Printer broken');
    await start.getByLabel('What is broken?').fill('Printer on floor 2');
    await start.getByRole('button', { name: 'Report' }).click();
    await expect.poll(() => start.getByRole('alert').filter({ hasText: /mandatory/ }).count()).toBeGreaterThan(0);
    expect((await api('GET', `/api/v1/tickets/${ticketId}/process`)).status).toBe(404);
    await start.getByLabel('Affected computer or server').fill('prn-floor2');
    await start.getByLabel('Text').fill('Paper jam on every page.');
    await start.getByRole('button', { name: 'Report' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Triage' }).count()).toBe(1);
    await expect.poll(() => marked(page, 'triage', 'hd-waiting')).toBe(true);
    const view = await api('GET', `/api/v1/tickets/${ticketId}/process`);
    expect(view.body.process).toBe('it-incident');
    // The dialog's values are on the ticket.
    const after = await api('GET', `/api/v1/tickets/${ticketId}`);
    expect(after.body).toMatchObject({ title: 'Printer on floor 2', dynamicFields: { AffectedHost: 'prn-floor2' } });
    await page.close();
  });
});

describe('new process ticket', () => {
  it('lists the startable processes, shows the start dialog of the chosen one and creates the ticket', async () => {
    const page = await newPage();
    await signIn(page, server.url, '/agent');
    await page.getByRole('navigation').getByRole('link', { name: 'New process ticket' }).click();
    await page.waitForURL(/\/agent\/process-ticket$/);
    // Startable by agents: the shipped processes and the review process.
    await expect.poll(() => page.getByRole('navigation', { name: 'Processes' }).getByRole('link').count()).toBe(4);
    await page.getByRole('link', { name: /Leave request/ }).click();
    const form = page.getByRole('form', { name: 'Request leave' });
    await expect.poll(() => form.isVisible()).toBe(true);
    // The start dialog's fields, with their labels and mandatory markers, plus the ticket's queue.
    expect(await form.getByLabel(/First day of leave/).count()).toBe(1);
    expect(await form.getByLabel(/Last day of leave/).count()).toBe(1);
    await screenshot(page, 'agent-new-process-ticket');

    // Without the mandatory first day: the error is shown at that field, nothing is created.
    const before = await api('GET', '/api/v1/tickets?perPage=100');
    await form.getByLabel(/Queue/).selectOption('HR');
    await form.getByLabel(/Last day of leave/).fill('2026-12-24');
    await form.getByRole('button', { name: 'Send request' }).click();
    await expect.poll(() => form.locator('[data-field="DynamicField_LeaveStart"]').getByRole('alert').textContent()).toMatch(/mandatory/i);
    expect((await api('GET', '/api/v1/tickets?perPage=100')).body.total).toBe(before.body.total);

    await form.getByLabel(/First day of leave/).fill('2026-12-22');
    await form.getByLabel(/Reason/).fill('Family visit');
    await form.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/agent\/tickets\/\d+$/);
    const ticketId = Number(/\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
    const view = await api('GET', `/api/v1/tickets/${ticketId}/process`);
    expect(view.body.process).toBe('leave-request');
    const ticket = await api('GET', `/api/v1/tickets/${ticketId}`);
    expect(JSON.stringify(ticket.body)).toContain('2026-12-22');
    expect(JSON.stringify(ticket.body)).toContain('Family visit');
    await expect.poll(() => page.getByTestId('process-widget').getByText('Leave request').count()).toBeGreaterThan(0);
    await page.close();
  });
});

describe('the admin area', () => {
  it('creates a queue', async () => {
    const page = await newPage();
    await signIn(page, server.url, '/admin');
    await page.getByRole('link', { name: /Queues/ }).click();
    await page.waitForURL(/\/admin\/queues$/);
    await expect.poll(() => page.getByRole('button', { name: 'Postmaster' }).count()).toBe(1);
    await page.getByRole('button', { name: 'New queue' }).click();
    // A sub-queue of a queue that does not exist: the server's error shows at the name field.
    await page.locator('#f-queues-name').fill('Sales::Europe');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => page.locator('.field.invalid').getByRole('alert').textContent()).toMatch(/Sales/);

    await page.locator('#f-queues-name').fill('Sales');
    await page.getByLabel('Comment').fill('Customers everywhere');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Created Sales/);
    await expect.poll(() => page.getByRole('button', { name: 'Sales', exact: true }).count()).toBe(1);
    const queues = await api('GET', '/api/v1/queues?search=Sales');
    expect((queues.body.items as Array<{ name: string; group: string }>).map((q) => [q.name, q.group])).toEqual([['Sales', 'users']]);

    // The same name again is refused, at the name field.
    await page.getByRole('button', { name: 'New queue' }).click();
    await page.locator('#f-queues-name').fill('Sales');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => page.locator('.field.invalid').count()).toBe(1);
    await screenshot(page, 'admin-queues');
    await page.close();
  });

  it('creates a dynamic field, previewing it as dialogs will show it', async () => {
    const page = await newPage();
    await signIn(page, server.url, '/admin/dynamic-fields');
    await page.getByRole('button', { name: 'New dynamic field' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Region');
    await page.getByLabel('Label', { exact: true }).fill('Sales region');
    await page.getByLabel('Type', { exact: true }).selectOption('dropdown');
    await page.getByLabel('Possible values').fill('eu=Europe\nus=Americas\napac=Asia Pacific');
    const preview = page.getByTestId('df-preview');
    await expect.poll(() => preview.getByLabel('Sales region').locator('option').allTextContents()).toEqual(['–', 'Europe', 'Americas', 'Asia Pacific']);
    await screenshot(page, 'admin-dynamic-field-preview');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Created Sales region/);
    const fields = await api('GET', '/api/v1/dynamic-fields?search=Region');
    const region = (fields.body.items as Array<{ name: string; fieldType: string; config: { possibleValues?: Record<string, string> } }>).find((f) => f.name === 'Region');
    expect(region?.fieldType).toBe('dropdown');
    expect(region?.config.possibleValues).toEqual({ eu: 'Europe', us: 'Americas', apac: 'Asia Pacific' });
    await page.close();
  });

  it('edits the routes of a web service and shows its debugger log', async () => {
    const list = await api('GET', '/api/v1/webservices');
    const ws = (list.body.items as Array<{ id: number; name: string }>).find((w) => w.name === 'GenericTicketConnectorREST')!;
    expect((await api('PATCH', `/api/v1/webservices/${ws.id}`, { debugLevel: 'debug' })).status).toBe(200);
    const call = await fetch(`${server.url}/otobo/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ UserLogin: 'admin', Password: ADMIN_PASSWORD }),
    });
    expect(call.status).toBe(200);

    const page = await newPage();
    await signIn(page, server.url, '/admin/webservices');
    await page.getByRole('button', { name: 'GenericTicketConnectorREST' }).click();
    // The debugger lists the exchange; opened, it shows the request with the password masked.
    const entry = page.locator('details', { hasText: 'SessionCreate' }).first();
    await expect.poll(() => entry.count()).toBe(1);
    await entry.locator('summary').click();
    expect(await entry.textContent()).not.toContain(ADMIN_PASSWORD);

    const before = (await api('GET', `/api/v1/webservices/${ws.id}`)).body.routes as unknown[];
    await page.getByRole('button', { name: 'Add route' }).click();
    await page.getByLabel(`Route ${before.length + 1}`, { exact: true }).fill('/Tickets/:TicketID/History');
    await page.getByLabel(`Operation of route ${before.length + 1}`).selectOption('TicketHistoryGet');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Saved GenericTicketConnectorREST/);
    const after = (await api('GET', `/api/v1/webservices/${ws.id}`)).body.routes as Array<{ route: string; methods: string[]; operation: string }>;
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toEqual({ route: '/Tickets/:TicketID/History', methods: ['GET'], operation: 'TicketHistoryGet' });
    await screenshot(page, 'admin-webservice');
    await page.close();
  });

  it('works on a phone-sized screen', async () => {
    const page = await newPage(390, 844);
    await signIn(page, server.url, '/admin/roles');
    await page.getByRole('button', { name: 'Managers', exact: true }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: 'rw on users' }).count()).toBe(1);
    await page.getByRole('checkbox', { name: 'ro on users' }).check();
    await page.getByRole('button', { name: 'Save permissions' }).click();
    await expect.poll(() => page.getByText('Permissions saved.').count()).toBe(1);
    const role = await api('GET', '/api/v1/roles?search=Managers');
    const id = (role.body.items as Array<{ id: number; name: string }>).find((r) => r.name === 'Managers')!.id;
    expect(((await api('GET', `/api/v1/roles/${id}`)).body.permissions as Record<string, string[]>).users).toContain('ro');
    await screenshot(page, 'admin-roles-phone');
    await page.close();
  });
});
