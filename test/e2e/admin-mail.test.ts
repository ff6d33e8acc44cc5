/**
 * Inbound mail administered in a real browser against a real server with its SMTP listener: a
 * mail that finds no queue lands in /admin/problem-mails with its reason; once the queue exists the
 * admin reprocesses it there, it leaves the list and becomes a ticket. A mail account's "Test
 * connection" button answers in words. Screenshots go to test/e2e/screenshots/.
 */
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/server';
import { freePort } from '../support/spawn';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
let smtpPort: number;
const newPage = pageOpener(() => browser);

beforeAll(async () => {
  assertDesignerBuilt();
  smtpPort = await freePort();
  // The server process inherits these: a listener, one system address, and a default queue that does not exist yet.
  process.env.MAIL_LISTEN = `127.0.0.1:${smtpPort}`;
  process.env.MAIL_ADDRESSES = 'support@helpdesk.test';
  process.env.MAIL_DEFAULT_QUEUE = 'Inbox';
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('inbound mail admin pages', () => {
  it('reprocesses a problem mail once its cause is fixed', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, ignoreTLS: true });
    const sent = await transport.sendMail({ from: 'robin@customer.test', to: 'support@helpdesk.test', subject: 'Where does my mail go?', text: 'Hello, is anyone there?' });
    expect(sent.response).toMatch(/kept for an administrator \(NO_QUEUE\)/);
    transport.close();

    const page = await newPage();
    await signIn(page, server.url, '/admin/problem-mails');
    const row = page.getByRole('row').filter({ hasText: 'Where does my mail go?' });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.textContent()).toContain('NO_QUEUE');
    await screenshot(page, 'admin-problem-mails');

    const api = new Client(server.url);
    await api.login('admin', ADMIN_PASSWORD);
    expect((await api.post('/api/v1/queues', { name: 'Inbox', group: 'users' })).status).toBe(201);

    await row.getByRole('button', { name: 'Reprocess' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/processed \(new-ticket, ticket \d+\)/);
    await expect.poll(() => row.count()).toBe(0);
    await screenshot(page, 'admin-problem-mails-reprocessed');
    await page.getByRole('link', { name: 'Open the ticket' }).click();
    await page.waitForURL(/\/agent\/tickets\/\d+/);
    await expect.poll(() => page.getByText('Where does my mail go?').first().isVisible()).toBe(true);
    // The received mail's raw source is one click away for the agent.
    const plain = page.getByRole('link', { name: 'Plain view' });
    await expect.poll(() => plain.count()).toBe(1);
    const source = await (await fetch(new URL((await plain.getAttribute('href'))!, server.url), { headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).text();
    expect(source).toMatch(/^Subject: Where does my mail go\?/m);
    await screenshot(page, 'agent-ticket-plain-view-link');
  });

  it('tests a mail account’s connection from its form', async () => {
    const api = new Client(server.url);
    await api.login('admin', ADMIN_PASSWORD);
    const port = await freePort();
    const created = await api.post('/api/v1/mail/accounts', { name: 'Support mailbox', protocol: 'imap', tls: 'none', host: '127.0.0.1', port, login: 'support', password: 'secret-pw', valid: false });
    expect(created.status).toBe(201);

    const page = await newPage();
    await signIn(page, server.url, '/admin/mail-accounts');
    await page.getByRole('button', { name: 'Support mailbox' }).click();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByText(/Connection failed: .*allow-list/).count()).toBe(1);
    await screenshot(page, 'admin-mail-accounts');
  });
});
