/**
 * The operations view in a real browser: two process tickets stuck at a script that needs the
 * variable `allowed`; the admin opens the first incident (its ticket, the step by name and the
 * variables), sets `allowed` to true and retries — the incident is resolved and the instance goes
 * on; the second is skipped to the end by name. Screenshots go to test/e2e/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, apiClient, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';

let server: TestServer;
let browser: Browser;
let api: Awaited<ReturnType<typeof apiClient>>;
const newPage = pageOpener(() => browser, 'operations-');

const GATE = {
  format: 'process/1',
  key: 'e2e-gate',
  name: 'Gated booking',
  start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent', name: 'Booking asked for' },
    { id: 'seed', type: 'scriptTask', name: 'Prepare', script: { source: 'export default () => ({ vars: { allowed: false } })' } },
    { id: 'book', type: 'scriptTask', name: 'Book it', script: { source: 'export default ({ vars }) => { if (vars.allowed !== true) throw new Error("booking is not allowed yet"); return { vars: { booked: true } } }' } },
    { id: 'check', type: 'userTask', name: 'Check the booking', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent', name: 'Booked' },
  ],
  transitions: [
    { id: 't0', from: 'start', to: 'seed' },
    { id: 't1', from: 'seed', to: 'book' },
    { id: 't2', from: 'book', to: 'check' },
    { id: 't3', from: 'check', to: 'end' },
  ],
};

async function poll<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('operations view', () => {
  beforeAll(async () => {
    assertDesignerBuilt();
    server = await startServer();
    browser = await launchBrowser();
    api = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    expect((await api('POST', '/api/v1/processes', GATE)).status).toBe(201);
    expect((await api('POST', '/api/v1/processes/e2e-gate/deploy', { createMissing: true })).status).toBe(201);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const start = async (title: string) => {
    const r = await api('POST', '/api/v1/process-tickets', { process: 'e2e-gate', ticket: { title, queue: 'Misc', article: { body: 'Please book.' } } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const ticketId = r.body.ticketId as number;
    return poll(`the incident of ${title}`, async () => (await api('GET', `/api/v1/incidents?ticketId=${ticketId}`)).body.items?.[0] as { id: number } | undefined);
  };

  it('retries an incident after fixing a variable, and skips another to the end', async () => {
    const first = await start('Room for the board');
    const second = await start('Room for the team');

    const page = await newPage();
    await signIn(page, server.url, '/admin/operations');
    const rows = page.getByTestId('ops-incidents');
    await rows.locator(`tr[data-incident="${first.id}"]`).waitFor();
    // The step is shown by its name, the id only as a hint
    await expect(rows.locator(`tr[data-incident="${first.id}"]`).innerText()).resolves.toContain('Book it');

    // Open the first: its ticket, the message, the variables
    await rows.locator(`tr[data-incident="${first.id}"] button.link`).click();
    const detail = page.getByTestId('ops-detail');
    await detail.getByTestId('ops-ticket').getByText('Room for the board').waitFor();
    await expect(detail.getByTestId('ops-message').innerText()).resolves.toContain('booking is not allowed yet');
    await page.locator('.ops .diagram .hd-sim-incident').first().waitFor();
    const allowed = detail.getByLabel('Value of allowed');
    await expect(allowed.inputValue()).resolves.toBe('false');
    await screenshot(page, 'operations-incident');

    // Fix the variable and retry
    await allowed.fill('true');
    await detail.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('ops-notice').getByText('Retried: 1').waitFor();
    const retried = (await api('GET', `/api/v1/incidents/${first.id}`)).body;
    expect(retried).toMatchObject({ status: 'resolved', resolvedHow: 'retry', resolvedBy: 'admin' });
    // The script runs again in the background; the instance goes on to the check
    await poll('the instance to reach the check', async () => {
      const view = (await api('GET', `/api/v1/tickets/${retried.ticketId}/process`)).body;
      return view.currentNodes?.some((n: { nodeId: string }) => n.nodeId === 'check') ? true : undefined;
    });
    await rows.locator(`tr[data-incident="${first.id}"]`).waitFor({ state: 'detached' });

    // The second: skip it to the end, chosen by name
    await rows.locator(`tr[data-incident="${second.id}"] button.link`).click();
    await detail.getByTestId('ops-ticket').getByText('Room for the team').waitFor();
    await detail.getByLabel('Skip to').selectOption({ label: 'Booked' });
    await detail.getByRole('button', { name: 'Skip', exact: true }).click();
    await page.getByTestId('ops-notice').getByText('Skipped: 1').waitFor();
    const skipped = (await api('GET', `/api/v1/incidents/${second.id}`)).body;
    expect(skipped).toMatchObject({ status: 'resolved', resolvedHow: 'skip', instanceStatus: 'completed' });
    // Both acts are in the tickets' history
    const history = (await api('GET', `/api/v1/tickets/${skipped.ticketId}/history?perPage=1000`)).body.items as Array<{ message?: string }>;
    expect(history.some((h) => /skipped to "Booked"/.test(h.message ?? ''))).toBe(true);
    await screenshot(page, 'operations-after');
    await page.close();
  }, 180_000);
});
