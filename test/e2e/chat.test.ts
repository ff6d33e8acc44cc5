/**
 * The website chat widget in a real browser: a public visitor on a page of ANOTHER origin (a tiny
 * HTTP server on a second port, reached as `localhost` while the helpdesk is `127.0.0.1`) opens
 * the widget, gives name, email and a question; the agent, available for external chats, accepts
 * the request on the agent chat page; both write (Enter sends), each sees the other live; markup
 * the visitor types shows as text and runs nothing; the agent makes a ticket of the chat, and the
 * ticket carries the transcript. Screenshots go to test/e2e/screenshots/.
 */
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiClient, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
let site: http.Server;
let siteUrl = '';
const newPage = pageOpener(() => browser, 'chat-');

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
  // The customer's website: another origin that only embeds the widget's script tag.
  site = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Shop</title></head><body><h1>Rocket shop</h1><p>We sell rockets.</p><script src="${server.url}/api/v1/chat/widget.js" async></script></body></html>`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
  const addr = site.address();
  siteUrl = `http://localhost:${typeof addr === 'object' && addr ? addr.port : 0}/`;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (site ? site.close(() => r()) : r()));
  await server?.stop();
});

describe('chat widget', () => {
  it('lets a public visitor chat from another origin; the agent accepts and makes a ticket with the transcript', async () => {
    const admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    expect((await admin('PUT', '/api/v1/chat/availability', { availability: 'external', status: 'online' })).status).toBe(200);

    // The agent's chat page is open before the visitor comes (the request arrives live).
    const agent = await newPage();
    await signIn(agent, server.url, '/agent/chat');
    await agent.getByRole('heading', { name: 'Chat requests' }).waitFor();

    const visitor = await newPage();
    const scriptErrors: string[] = [];
    visitor.on('pageerror', (e) => scriptErrors.push(e.message));
    let alerted = false;
    visitor.on('dialog', (d) => {
      alerted = true;
      void d.dismiss();
    });
    await visitor.goto(siteUrl);
    expect(new URL(visitor.url()).origin).not.toBe(new URL(server.url).origin);
    const widget = visitor.locator('#helpdesk-chat-widget');
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    await widget.getByPlaceholder('Your name').fill('Vic Visitor');
    await widget.getByPlaceholder('Your email').fill('vic@example.com');
    await widget.getByPlaceholder('How can we help?').first().fill('Do you ship rockets to Mars?');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await widget.locator('.msg', { hasText: 'Do you ship rockets to Mars?' }).waitFor();
    await widget.getByText('Waiting for an agent…').waitFor();

    // The agent accepts the request and answers (Enter sends).
    const request = agent.locator('.requests li', { hasText: 'Vic Visitor' });
    await request.waitFor();
    await screenshot(agent, 'chat-agent-request');
    await request.getByRole('button', { name: 'Accept' }).click();
    const box = agent.getByLabel('Message');
    await box.waitFor();
    await agent.locator('.log .msg', { hasText: 'Do you ship rockets to Mars?' }).waitFor();
    await box.fill('Yes, twice a year.');
    await box.press('Enter');

    // The visitor sees it live, and answers with markup that must stay text.
    await widget.locator('.msg', { hasText: 'Yes, twice a year.' }).waitFor();
    const input = widget.locator('.compose textarea');
    await input.fill('Great! <img src=x onerror="alert(1)"><script>alert(2)</script>');
    await input.press('Shift+Enter');
    await input.pressSequentially('Next window?');
    await input.press('Enter');
    await agent.locator('.log .msg', { hasText: 'Next window?' }).waitFor();
    await screenshot(visitor, 'chat-widget-visitor');
    expect(await agent.locator('.log .msg', { hasText: 'Next window?' }).innerText()).toContain('<img src=x onerror="alert(1)">');
    expect(await agent.locator('.log img').count()).toBe(0);
    expect(alerted).toBe(false);
    expect(scriptErrors).toEqual([]);

    // The chat becomes a ticket with the transcript.
    await agent.getByRole('button', { name: 'Create ticket' }).click();
    await agent.getByRole('status').filter({ hasText: /Ticket \d+ created with the transcript/ }).waitFor();
    await screenshot(agent, 'chat-agent-ticket');
    const chats = await admin('GET', '/api/v1/chat/chats');
    const chat = (chats.body.items as Array<{ id: number; requester: string; ticketId: number | null }>).find((c) => c.requester === 'Vic Visitor')!;
    expect(chat.ticketId).toBeTruthy();
    const articles = await admin('GET', `/api/v1/tickets/${chat.ticketId}/articles`);
    const transcript = articles.body.items[0];
    expect(transcript.channel).toBe('chat');
    expect(transcript.from).toContain('vic@example.com');
    for (const line of ['Do you ship rockets to Mars?', 'Yes, twice a year.', 'Next window?']) expect(transcript.bodyText).toContain(line);

    // The ticket zoom shows it.
    await agent.getByRole('link', { name: 'Open the ticket' }).click();
    await agent.getByText('Yes, twice a year.').first().waitFor();
    await screenshot(agent, 'chat-ticket-zoom');
  });
});
