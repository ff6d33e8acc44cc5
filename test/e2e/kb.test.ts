/**
 * The knowledge base in a real browser against a real server: an agent writes and publishes an
 * article in the knowledge-base area (with a preview); a customer typing a new ticket gets it
 * suggested, reads it and votes; the agent inserts it into a reply to that ticket at the cursor
 * without losing the draft; the public help page shows it without login; an agent who chose German
 * and a German browser see the knowledge base in German. Screenshots go to
 * test/e2e/screenshots/kb-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
const CUSTOMER = { email: 'carla@example.test', password: 'Customer-pass-42' };
const track = screenshotOnFailure('kb-');

async function adminCall(method: string, url: string, body?: unknown) {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${server.url}${url}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  return track(page);
}

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
  expect((await adminCall('POST', '/api/v1/kb/categories', { name: 'Printers', group: 'users', customerVisible: true })).status).toBe(201);
  const reg = await fetch(`${server.url}/api/v1/auth/customer/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: CUSTOMER.email, firstName: 'Carla', lastName: 'Customer', password: CUSTOMER.password }) });
  expect(reg.status).toBe(202);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('knowledge base in the browser', () => {
  let articleId = 0;
  let ticketId = 0;

  it('an agent writes and publishes an article, with a preview', async () => {
    const page = await newPage();
    await signIn(page, server.url, '/agent/kb');
    await page.getByRole('link', { name: 'New article' }).click();
    await page.waitForURL(/\/agent\/kb\/edit/);
    await page.getByLabel('Title').fill('Printer shows error E42');
    await page.getByLabel('State').selectOption('public');
    await page.getByLabel('Keywords').fill('printer E42 paper');
    await page.getByRole('textbox', { name: 'Symptom' }).click();
    await page.keyboard.type('The display shows E42 and nothing prints.');
    await page.getByRole('textbox', { name: 'Solution' }).click();
    await page.keyboard.type('Open the back cover and remove the torn paper.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByLabel('Preview').textContent()).toMatch(/Solution\s*Open the back cover/);
    await screenshot(page, 'kb-agent-editor-preview');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/agent\/kb\/\d+$/);
    articleId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('heading', { name: 'Printer shows error E42' }).waitFor();
    await expect.poll(() => page.getByRole('table').textContent()).toMatch(/1.*Created\..*public/);
    await screenshot(page, 'kb-agent-article');
    await page.close();
  });

  it('a customer typing a new ticket gets the article suggested, reads it and votes', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/portal/tickets/new`);
    await page.waitForURL(/\/portal\/login/);
    await page.getByLabel('Email address').fill(CUSTOMER.email);
    await page.getByLabel('Password', { exact: true }).fill(CUSTOMER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/portal/tickets/new');
    const form = page.getByRole('form', { name: 'New ticket' });
    await form.getByLabel('Subject').pressSequentially('My printer says E4');
    const suggestions = page.getByRole('complementary', { name: 'Articles that may help' });
    await expect.poll(() => suggestions.getByRole('link').allTextContents(), { timeout: 10_000 }).toEqual(['Printer shows error E42']);
    expect(await suggestions.locator('mark').count()).toBeGreaterThan(0);
    await screenshot(page, 'kb-portal-suggestion');

    await page.goto(`${server.url}/portal/kb/${articleId}`);
    await page.getByRole('heading', { name: 'Printer shows error E42' }).waitFor();
    await page.getByRole('button', { name: 'Yes' }).click();
    await expect.poll(() => page.getByText('1 found this helpful, 0 did not').count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Yes' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'kb-portal-voted');

    // The customer opens the ticket anyway (the agent answers it below).
    await page.goto(`${server.url}/portal/tickets/new`);
    await form.getByLabel('Subject').fill('Printer error E42');
    await form.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.type('It still shows E42 after removing the paper.');
    await form.getByRole('button', { name: 'Submit ticket' }).click();
    await page.waitForURL(/\/portal\/tickets\/\d+$/);
    ticketId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.close();
  });

  it('an agent inserts the article into a reply at the cursor without losing the draft', async () => {
    const page = await newPage();
    await signIn(page, server.url, `/agent/tickets/${ticketId}`);
    const panel = page.getByRole('region', { name: 'Knowledge base' });
    await expect.poll(() => panel.getByRole('link').allTextContents()).toContain('Printer shows error E42');
    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = page.getByRole('region', { name: 'Reply' });
    const text = reply.getByRole('textbox', { name: 'Text', exact: true });
    // The form starts with the salutation and a quote of the customer's message.
    await expect.poll(() => text.textContent()).toMatch(/thank you for your request.*It still shows E42/s);
    await text.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('Dear Carla, please try this: ');
    await reply.getByText('Knowledge base').click();
    const item = reply.getByRole('listitem').filter({ hasText: 'Printer shows error E42' });
    await item.getByRole('button', { name: 'Insert text' }).click();
    await expect.poll(() => text.textContent()).toMatch(/^Dear Carla, please try this: Printer shows error E42.*Open the back cover and remove the torn paper\.\s*Dear Carla Customer,.*It still shows E42/s);
    await item.getByRole('button', { name: 'Insert link' }).click();
    await expect.poll(() => text.textContent()).toContain(`Printer shows error E42: ${server.url}/help/articles/${articleId}`);
    expect(await text.textContent()).toMatch(/^Dear Carla, please try this: .*thank you for your request.*It still shows E42 after removing the paper\./s);
    await screenshot(page, 'kb-agent-reply-insert');
    await page.close();
  });

  it('the public help page shows the article without login', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/help`);
    await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await page.getByLabel('Search the knowledge base').fill('paper');
    await expect.poll(() => page.getByRole('link', { name: 'Printer shows error E42' }).count()).toBe(1);
    await screenshot(page, 'kb-help-list');
    await page.getByRole('link', { name: 'Printer shows error E42' }).click();
    await page.getByRole('heading', { name: 'Printer shows error E42' }).waitFor();
    expect(page.url()).toBe(`${server.url}/help/articles/${articleId}`);
    expect(await page.getByText('Open the back cover').count()).toBe(1);
    await screenshot(page, 'kb-help-article');
    await page.close();
  });

  it('speaks German to an agent who chose it and to a German browser', async () => {
    const page = await newPage();
    await signIn(page, server.url, '/agent/preferences');
    await page.locator('select[name="language"]').selectOption('de');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await expect.poll(() => page.evaluate<string>('document.documentElement.lang')).toBe('de');
    await page.goto(`${server.url}/agent/kb`);
    await page.getByRole('heading', { name: 'Wissensdatenbank', level: 1 }).waitFor();
    await expect.poll(() => page.getByText('1 Artikel', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Neuer Artikel' }).count()).toBe(1);
    expect(await page.locator('.results .badge').textContent()).toBe('öffentlich');
    await screenshot(page, 'kb-de-agent-list');
    await page.getByRole('link', { name: 'Printer shows error E42' }).click();
    await page.getByRole('heading', { name: 'Historie' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Lösung' }).count()).toBe(1);
    expect(await page.getByText('1 Person fand das hilfreich, 0 nicht').count()).toBe(1);
    // German dates: day.month.year.
    expect(await page.getByRole('table').textContent()).toMatch(/\d{2}\.\d{2}\.\d{4}/);
    await screenshot(page, 'kb-de-agent-article');
    await page.context().close();

    const context = await browser.newContext({ locale: 'de-DE' });
    const help = await context.newPage();
    await help.goto(`${server.url}/help/articles/${articleId}`);
    await help.getByRole('heading', { name: 'Printer shows error E42' }).waitFor();
    expect(await help.getByRole('group', { name: 'War das hilfreich?' }).count()).toBe(1);
    expect(await help.getByRole('link', { name: 'Alle Artikel' }).count()).toBe(1);
    await context.close();
  });
});
