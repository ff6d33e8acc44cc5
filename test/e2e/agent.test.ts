/**
 * The agent interface in a real browser against a real server: an agent who is not an administrator
 * signs in and lands on the dashboard, chooses their queue, finds a new customer ticket in My
 * queues (unread, in bold), locks it, adds an internal note, replies with the next state "closed
 * successful" and sees it leave the open list; a bulk move of ten tickets reports each ticket; the
 * zoom refreshes by itself when the ticket changes elsewhere; an agent without permission on the
 * queue sees none of its tickets; an article body carrying script renders without running it.
 * Screenshots (dashboard, zoom, phone-sized list) go to test/e2e/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;

/** A tiny API client with the session cookie and CSRF token, as the browser would hold them. */
class Api {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}
  async call(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(this.base + path, {
      method,
      headers: { 'content-type': 'application/json', cookie: this.cookie, 'x-csrf-token': this.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    const m = /hd_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
    if (m) this.cookie = `hd_session=${m[1]}`;
    return data;
  }
  async login(login: string, password: string, kind: 'agent' | 'customer' = 'agent') {
    const r = await this.call('POST', kind === 'agent' ? '/api/v1/auth/login' : '/api/v1/auth/customer/login', { login, password });
    this.csrf = r.csrfToken;
    return this;
  }
}

const PW = 'agent-e2e-password';
let admin: Api;
let agent: Api;
let alice: Api;

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
  admin = await new Api(server.url).login('admin', ADMIN_PASSWORD);
  await admin.call('POST', '/api/v1/groups', { name: 'sales' });
  await admin.call('POST', '/api/v1/groups', { name: 'other' });
  await admin.call('POST', '/api/v1/queues', { name: 'Sales', group: 'sales' });
  await admin.call('POST', '/api/v1/queues', { name: 'Sales::Archive', group: 'sales' });
  await admin.call('POST', '/api/v1/queues', { name: 'Other', group: 'other' });
  await admin.call('POST', '/api/v1/agents', { login: 'anna', firstName: 'Anna', lastName: 'Agent', email: 'anna@example.com', password: PW, groups: { sales: ['rw'] } });
  await admin.call('POST', '/api/v1/agents', { login: 'otto', firstName: 'Otto', lastName: 'Outsider', email: 'otto@example.com', password: PW, groups: { other: ['rw'] } });
  await admin.call('POST', '/api/v1/customers', { customerId: 'ACME', name: 'Acme Ltd' });
  // Customers may open tickets in Sales (the portal offers only Raw on a fresh install).
  await admin.call('PUT', '/api/v1/portal/settings', { customerQueues: ['Raw', 'Sales'], defaultQueue: 'Raw' });
  await admin.call('POST', '/api/v1/customer-users', { login: 'alice', firstName: 'Alice', lastName: 'Customer', email: 'alice@acme.example', customerId: 'ACME', password: PW });
  agent = await new Api(server.url).login('anna', PW);
  alice = await new Api(server.url).login('alice', PW, 'customer');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const openPage = pageOpener(() => browser, 'agent-');

/** A fresh browser page, watching for page errors and alert dialogs. */
async function newPage(viewport = { width: 1440, height: 900 }): Promise<{ page: Page; dialogs: string[] }> {
  const page = await openPage(viewport);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, dialogs };
}

async function signInAs(page: Page, login: string): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(PW);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/agent');
}

function customerTicket(title: string, body = 'Please help.', contentType: 'text/plain' | 'text/html' = 'text/plain') {
  return alice.call('POST', '/api/v1/tickets', { title, queue: 'Sales', article: { subject: title, body, contentType } });
}

describe('agent interface', () => {
  it('works a new ticket from My queues to closed', async () => {
    const ticket = await customerTicket('Printer on fire', 'The printer in room 4 is smoking.');
    const { page } = await newPage();
    await signInAs(page, 'anna');
    await expect.poll(() => page.locator('[data-widget="queues"] tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-widget="queues"]').textContent()).toContain('Sales');
    await expect.poll(() => page.locator('[data-widget]').filter({ hasText: 'Loading…' }).count()).toBe(0);
    await screenshot(page, 'agent-dashboard');

    // Choose the queue in the preferences.
    await page.getByRole('link', { name: 'Anna' }).click();
    await page.getByLabel('Sales', { exact: true }).check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor({ state: 'visible' });

    await page.getByRole('link', { name: 'My queues' }).click();
    const row = page.locator(`tr[data-ticket-id="${ticket.id}"]`);
    await row.waitFor({ state: 'visible' });
    await expect.poll(() => row.getAttribute('class')).toMatch(/unread/);
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('tr[data-ticket-id="${ticket.id}"] td.col-title')).fontWeight`)).toBe('700');
    await row.getByRole('link', { name: 'Printer on fire' }).click();

    await page.waitForURL(`**/agent/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: 'Printer on fire' }).waitFor({ state: 'visible' });
    await expect.poll(() => page.locator(`[data-article-id]`).first().textContent()).toMatch('new');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect.poll(() => page.getByTestId('ticket-lock').textContent()).toBe('locked');

    await page.getByRole('button', { name: 'Note', exact: true }).click();
    const note = page.getByRole('region', { name: 'Add a note' });
    await note.getByLabel('Subject').fill('Checked');
    await note.getByLabel('Text').fill('Called facilities, they are on their way.');
    await note.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('[data-article-id]').count()).toBe(2);
    await expect.poll(() => page.locator('article.internal').textContent()).toMatch('internal note');

    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = page.getByRole('region', { name: 'Reply' });
    await expect.poll(() => reply.getByLabel('To', { exact: true }).inputValue()).toBe('alice@acme.example');
    await reply.getByRole('textbox', { name: 'Text', exact: true }).fill('The fire is out. Sorry for the smoke!');
    await reply.getByLabel('Next state').selectOption({ label: 'closed successful' });
    await reply.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('ticket-state').textContent()).toBe('closed successful');
    await expect.poll(() => page.locator('[data-article-id]').count()).toBe(3);
    await screenshot(page, 'agent-zoom');

    const stored = await agent.call('GET', `/api/v1/tickets/${ticket.id}/articles`);
    expect(stored.items.at(-1)).toMatchObject({ channel: 'email', direction: 'outgoing', to: 'alice@acme.example', visibleForCustomer: true });

    await page.getByRole('link', { name: 'My queues' }).click();
    await page.getByRole('heading', { name: /My queues/ }).waitFor({ state: 'visible' });
    await expect.poll(() => page.locator(`tr[data-ticket-id="${ticket.id}"]`).count()).toBe(0);
    // The print page shows the whole ticket.
    await page.goto(`${server.url}/agent/tickets/${ticket.id}/print`);
    await page.getByRole('heading', { level: 1, name: /Printer on fire/ }).waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('.article').count()).toBe(3);
    await page.close();
  });

  it('changes a ticket through the zoom actions', async () => {
    const a = await customerTicket('Zoom actions A', 'First question.');
    const b = await customerTicket('Zoom actions B', 'Same question again.');
    const { page } = await newPage();
    await signInAs(page, 'anna');
    await page.goto(`${server.url}/agent/tickets/${a.id}`);
    await page.getByRole('heading', { name: 'Zoom actions A' }).waitFor();

    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await page.getByRole('button', { name: 'Unwatch', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Priority', exact: true }).click();
    await page.getByRole('region', { name: 'Change priority' }).getByLabel('Priority').selectOption({ label: '4 high' });
    await page.getByRole('region', { name: 'Change priority' }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await agent.call('GET', `/api/v1/tickets/${a.id}`)).priority.name).toBe('4 high');

    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByRole('region', { name: 'Move to another queue' }).getByLabel('Queue').selectOption({ label: 'Sales::Archive' });
    await page.getByRole('region', { name: 'Move to another queue' }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('ticket-queue').textContent()).toBe('Sales::Archive');

    await page.getByRole('button', { name: 'Pending', exact: true }).click();
    const pending = page.getByRole('region', { name: 'Set pending' });
    await pending.locator('select').first().selectOption({ label: 'pending reminder' });
    await pending.getByLabel('Until').fill('2030-01-02T10:00');
    await pending.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('ticket-state').textContent()).toMatch('pending reminder');

    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByRole('region', { name: 'Link to another ticket' }).getByLabel('Ticket#').fill(b.number);
    await page.getByRole('region', { name: 'Link to another ticket' }).getByRole('button', { name: 'Save' }).click();
    await page.getByRole('tab', { name: 'Linked (1)' }).click();
    await page.locator('ul.links').getByRole('link', { name: `${b.number} Zoom actions B` }).waitFor();

    await page.getByRole('tab', { name: 'History' }).click();
    await expect.poll(() => page.locator('table.history').textContent()).toMatch('PriorityUpdate');

    // Split the first article off into a ticket of its own.
    await page.getByRole('tab', { name: /Articles/ }).click();
    await page.getByRole('button', { name: 'Split into new ticket' }).first().click();
    await page.waitForURL((u) => /\/agent\/tickets\/\d+$/.test(u.pathname) && !u.pathname.endsWith(`/${a.id}`));
    await page.getByRole('heading', { level: 1, name: /First question|Zoom actions A/ }).waitFor();

    // Merge B into A: B's page moves on to A.
    await page.goto(`${server.url}/agent/tickets/${b.id}`);
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.getByRole('region', { name: 'Merge into another ticket' }).getByLabel('Ticket#').fill(a.number);
    await page.getByRole('region', { name: 'Merge into another ticket' }).getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`**/agent/tickets/${a.id}`);
    await expect.poll(async () => (await agent.call('GET', `/api/v1/tickets/${b.id}`)).state.name).toBe('merged');
    await page.close();
  });

  it('moves ten tickets in bulk and reports each one', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 10; i++) ids.push((await customerTicket(`Bulkmove order ${i}`)).id);
    const { page } = await newPage();
    await signInAs(page, 'anna');
    await page.getByRole('link', { name: 'Status' }).click();
    await page.waitForURL('**/agent/status');
    await page.getByLabel('Filter', { exact: true }).fill('Bulkmove');
    await page.getByLabel('Filter', { exact: true }).press('Enter');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(10);
    await page.getByLabel('Select all').check();
    await page.getByRole('button', { name: 'Bulk action (10)' }).click();
    const bulk = page.getByRole('region', { name: 'Bulk action' });
    await bulk.getByLabel('Queue').selectOption({ label: 'Sales::Archive' });
    await bulk.getByRole('button', { name: 'Apply' }).click();
    const results = page.getByTestId('bulk-results');
    await expect.poll(() => results.textContent()).toMatch('10 done, 0 failed');
    await expect.poll(() => results.locator('li.ok').count()).toBe(10);
    for (const id of ids) expect((await agent.call('GET', `/api/v1/tickets/${id}`)).queue.name).toBe('Sales::Archive');
    // The list shows the new queue (refreshed after the bulk action).
    await expect.poll(() => page.locator('tbody td.col-queue').allTextContents()).toEqual(Array(10).fill('Sales::Archive'));
    await page.close();
  });

  it('refreshes the open ticket when it changes elsewhere', async () => {
    const ticket = await customerTicket('Live one');
    const { page } = await newPage();
    await signInAs(page, 'anna');
    await page.goto(`${server.url}/agent/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: 'Live one' }).waitFor({ state: 'visible' });
    await page.waitForFunction(`document.documentElement.getAttribute('data-live') === 'ready'`);
    await agent.call('PATCH', `/api/v1/tickets/${ticket.id}`, { title: 'Live one, renamed elsewhere', priority: '5 very high' });
    await page.getByRole('heading', { name: 'Live one, renamed elsewhere' }).waitFor({ state: 'visible' });
    await page.close();
  });

  it('hides the tickets of queues the agent may not read', async () => {
    const ticket = await customerTicket('Secret Sales deal');
    const { page } = await newPage();
    await signInAs(page, 'otto');
    await page.getByRole('link', { name: 'Status' }).click();
    await page.waitForURL('**/agent/status');
    await page.getByLabel('State filter').selectOption('all');
    await page.getByText('No tickets in this state.').waitFor({ state: 'visible' });
    await page.getByLabel('Search').fill('Secret');
    await page.getByLabel('Search').press('Enter');
    await page.getByText('No ticket matches.').waitFor({ state: 'visible' });
    await page.goto(`${server.url}/agent/tickets/${ticket.id}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not found/i);
    await page.close();
  });

  it('renders an article body with script without running it', async () => {
    const html = '<p>Hello <b>agent</b></p><img src=x onerror="alert(1);window.top.__xss=1"><script>alert(2);window.top.__xss=2</script><a href="javascript:alert(3)">click</a>';
    const ticket = await customerTicket('Suspicious mail', html, 'text/html');
    const { page, dialogs } = await newPage();
    await signInAs(page, 'anna');
    await page.goto(`${server.url}/agent/tickets/${ticket.id}`);
    const frame = page.getByTestId('article-html');
    await frame.waitFor({ state: 'visible' });
    expect(await frame.getAttribute('sandbox')).not.toContain('allow-scripts');
    await page.frameLocator('[data-testid="article-html"]').getByText('agent').waitFor({ state: 'visible' });
    await page.frameLocator('[data-testid="article-html"]').getByText('click').click().catch(() => undefined);
    await page.waitForTimeout(300); // a chance for a wrongly allowed script to run
    expect(dialogs).toEqual([]);
    expect(await page.evaluate<number | undefined>('window.__xss')).toBeUndefined();
    await page.close();
  });

  it('fits a phone-sized screen', async () => {
    const ticket = await customerTicket('Phone-sized zoom', 'Does this fit on a small screen?');
    const { page } = await newPage({ width: 390, height: 844 });
    await signInAs(page, 'anna');
    await page.getByRole('link', { name: 'Status' }).click();
    await page.waitForURL('**/agent/status');
    await page.locator('tbody tr').first().waitFor({ state: 'visible' });
    await screenshot(page, 'agent-list-phone');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    const wide = await page.evaluate<string[]>(
      `Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((e) => e.tagName + '.' + e.className)`,
    );
    expect(overflow, `wider than the screen: ${wide.join(', ')}`).toBeLessThanOrEqual(1);
    // Keyboard: j moves the focus down the list, / focuses the search box.
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('tbody tr.focused').count()).toBe(1);
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate<boolean>(`document.activeElement === document.querySelector('input[aria-label="Search"]')`)).toBe(true);

    // The zoom fits too.
    await page.goto(`${server.url}/agent/tickets/${ticket.id}`);
    await page.getByRole('heading', { level: 1, name: 'Phone-sized zoom' }).waitFor();
    await screenshot(page, 'agent-zoom-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(1);
    await page.close();
  });
});
