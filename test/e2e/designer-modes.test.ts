/**
 * The designer's working modes in a real browser against a real server (the shipped processes are
 * installed at its first start): test mode runs a saved scenario of the leave request and marks the
 * path on the canvas; the properties panel reorders dialog fields, nests condition groups and shows
 * a timer in words; Shift+1 fits the canvas; a version compared with the one before shows what
 * changed; the monitoring overlay counts the tickets waiting at a node and lists them; the script
 * library edits, versions and runs a script; an outbound service is created and test-called.
 * Screenshots go to test/e2e/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../../engine/index';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';
import { clickElement, openGroup, openItem, waitCanvasReady, waitSaved } from './canvas';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const openPage = pageOpener(() => browser);
const newPage = (): Promise<Page> => openPage({ width: 1440, height: 900 });

/** The admin over the API (cookie and CSRF token), for setting the scene. */
async function adminApi() {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> => {
    const r = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, data: (text ? JSON.parse(text) : undefined) as T };
  };
}

async function openCanvas(page: Page, key: string): Promise<void> {
  await page.goto(`${server.url}/admin/processes/${key}`);
  await waitCanvasReady(page);
  await waitSaved(page);
}

const ids = (page: Page, selector: string) =>
  page.evaluate<string[]>(`Array.from(document.querySelectorAll('${selector}')).map((e) => e.getAttribute('data-element-id'))`);

describe('designer modes', () => {
  it('runs a saved scenario in test mode and marks the path taken on the canvas', async () => {
    const page = await newPage();
    await signIn(page, server.url);
    await openCanvas(page, 'leave-request');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const panel = page.getByTestId('test-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('scenario-select').inputValue()).toBe('approved');
    await panel.getByRole('button', { name: 'Run', exact: true }).click();

    const report = page.getByTestId('test-report');
    await report.waitFor({ timeout: 30_000 });
    expect(await report.getAttribute('data-passed')).toBe('true');
    expect(await report.getAttribute('data-status')).toBe('completed');
    // The path: the nodes entered and the transitions taken, numbered in order; the reminder branch not.
    await expect.poll(() => ids(page, '.djs-shape.hd-sim-visited')).toEqual(expect.arrayContaining(['requested', 'countDays', 'approve', 'decided', 'approved']));
    expect(await ids(page, '.djs-shape.hd-sim-visited')).not.toContain('reminded');
    expect(await ids(page, '.djs-shape.hd-sim-visited')).not.toContain('rejected');
    expect((await ids(page, '.djs-connection.hd-sim-taken')).length).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.hd-sim-badge[data-element="countDays"]').textContent()).toBe('2');
    // The steps say why the gateway chose its way.
    const steps = await page.getByTestId('test-steps').innerText();
    expect(steps).toMatch(/leave .*decided/i);
    expect(steps).toMatch(/LeaveApproved/);
    await screenshot(page, 'test-mode-path');

    // A changed copy of the scenario is saved with the process (its tests) and fails its expectation.
    const text = await page.getByTestId('scenario-json').inputValue();
    const scenario = JSON.parse(text) as { name: string; expect: { endNode: string } };
    scenario.name = 'approved, wrong end';
    scenario.expect.endNode = 'rejected';
    await page.getByTestId('scenario-select').selectOption('__new__');
    await page.getByTestId('scenario-json').fill(JSON.stringify(scenario, null, 2));
    await panel.getByRole('button', { name: 'Save scenario' }).click();
    await waitSaved(page);
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => report.getAttribute('data-passed')).toBe('false');
    expect(await report.innerText()).toMatch(/endNode: expected rejected, got approved/);
    const api = await adminApi();
    const draft = await api<{ draft: Process }>('GET', '/processes/leave-request/draft');
    expect(draft.data.draft.tests?.map((t) => t.name)).toContain('approved, wrong end');

    // Closing test mode removes the marks.
    await panel.getByRole('button', { name: 'Close test mode' }).click();
    await expect.poll(() => page.locator('.hd-sim-visited').count()).toBe(0);
    await page.close();
  });

  it('reorders dialog fields, nests condition groups, shows a timer in words and fits the canvas', async () => {
    const page = await newPage();
    await signIn(page, server.url);
    await openCanvas(page, 'leave-request');

    // Shift+1 fits the process into view after zooming in.
    const transform = () => page.locator('.djs-container .viewport').getAttribute('transform');
    const fitted = await transform();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await transform()).not.toBe(fitted);
    await page.locator('.djs-container').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Shift+Digit1');
    await expect.poll(transform).toBe(fitted);

    // Dialog fields: the second moves up.
    await clickElement(page, 'approve', 40);
    await openGroup(page, 'hd-dialog-fields');
    const label = (i: number) => page.locator(`[data-entry-id="hd-field-${i}"] .bio-properties-panel-collapsible-entry-header`).innerText();
    const [first, second] = [await label(0), await label(1)];
    await openItem(page, 'hd-field-1');
    await page.locator('[data-entry-id="hd-field-1-move"] button[title="Move up"]').click();
    await expect.poll(() => label(0)).toBe(second.replace(/^2\./, '1.'));
    expect(await label(1)).toBe(first.replace(/^1\./, '2.'));
    await waitSaved(page);

    // A timer reads in words and can be set from the form.
    await clickElement(page, 'approvalLate', 40);
    await openGroup(page, 'hd-timer');
    expect(await page.locator('[data-entry-id="hd-timer-preview"] input').inputValue()).toMatch(/^after /);
    await page.locator('[data-entry-id="hd-timer-kind"] select').selectOption('every');
    await page.locator('[data-entry-id="hd-timer-amount"] input').fill('1');
    await page.locator('[data-entry-id="hd-timer-unit"] select').selectOption('hours');
    await page.locator('[data-entry-id="hd-timer-times"] input').fill('3');
    await expect.poll(() => page.locator('[data-entry-id="hd-timer-preview"] input').inputValue()).toBe('3 times every hour');

    // A transition gets a group of comparisons under its condition (all of: Queue …, any of: …).
    const flow = (await ids(page, '.djs-connection')).find((id) => id !== null)!;
    await clickElement(page, flow, 40);
    await openGroup(page, 'hd-transition');
    const kind = page.locator('[data-entry-id="hd-flow-condition-kind"] select');
    if ((await kind.inputValue()) !== 'structured') await kind.selectOption('structured');
    // The rows of the condition (one per comparison or group); the new group comes last.
    const rows = page.locator('[data-group-id="group-hd-conditions"] [data-entry-id^="hd-cmp-"][data-entry-id$="-move"]');
    const at = await rows.count();
    await page.locator('[data-entry-id="hd-flow-add"] button', { hasText: '+ Group' }).click();
    await expect.poll(() => page.locator(`[data-entry-id="hd-cmp-${at}-combinator"] select`).inputValue()).toBe('any');
    await page.locator(`[data-entry-id="hd-cmp-${at}-add"] button`).click();
    await page.locator(`[data-entry-id="hd-cmp-${at}-1-value"] input`).fill('Misc');
    await waitSaved(page);
    const api = await adminApi();
    const draft = await api<{ draft: Process }>('GET', '/processes/leave-request/draft');
    const transition = draft.data.draft.transitions.find((t) => t.id === flow)!;
    const items = (transition.condition as { all?: unknown[]; any?: unknown[]; one?: unknown[] });
    const list = items.all ?? items.any ?? items.one ?? [];
    expect(list).toContainEqual({ any: [{ field: 'Queue', op: 'eq', value: '' }, { field: 'Queue', op: 'eq', value: 'Misc' }] });
    const timer = draft.data.draft.nodes.find((n) => n.id === 'approvalLate');
    expect(timer).toMatchObject({ cycle: 'R3/PT1H' });
    expect((draft.data.draft.nodes.find((n) => n.id === 'approve') as { dialog: { fields: Array<{ field: string }> } }).dialog.fields[0]!.field)
      .toBe(second.replace(/^2\.\s*/, '').split(' · ')[0]);
    await page.close();
  });

  it('compares two versions on the canvas and overlays the monitoring figures', async () => {
    const api = await adminApi();
    // Version 2 of the IT incident process: a user task renamed.
    const v1 = await api<{ definition: Process }>('GET', '/processes/it-incident/versions/1');
    expect(v1.status).toBe(200);
    const next = structuredClone(v1.data.definition);
    const renamed = next.nodes.find((n) => n.type === 'userTask')!;
    renamed.name = `${renamed.name ?? renamed.id} (renamed)`;
    expect((await api('PUT', '/processes/it-incident/draft', next)).status).toBe(200);
    const deployed = await api<{ version: number }>('POST', '/processes/it-incident/deploy', {});
    expect(deployed.status).toBe(201);

    const page = await newPage();
    await signIn(page, server.url);
    await page.goto(`${server.url}/admin/processes/it-incident/versions/${deployed.data.version}?compare=1`);
    const diff = page.getByTestId('diff');
    await diff.waitFor();
    await expect.poll(() => page.locator(`.hd-diff-badge[data-element="${renamed.id}"]`).getAttribute('data-status')).toBe('changed');
    expect(await diff.innerText()).toContain('(name)');
    expect(await ids(page, '.djs-shape.hd-diff-changed')).toContain(renamed.id);
    await screenshot(page, 'version-diff');

    // Monitoring of the leave request: a request waits at the approval (after the script counted the days).
    const started = await api<{ ticket: { id: number } }>('POST', '/process-tickets', {
      process: 'leave-request',
      ticket: { title: 'Leave in March', queue: 'Misc', article: { body: 'Please' } },
      fields: { DynamicField_LeaveStart: '2026-03-02', DynamicField_LeaveEnd: '2026-03-06' },
    });
    expect(started.status, JSON.stringify(started.data)).toBe(201);
    await expect.poll(async () => (await api<{ nodes: Array<{ nodeId: string; active: number }> }>('GET', '/processes/leave-request/stats')).data.nodes
      .find((n) => n.nodeId === 'approve')?.active ?? 0, { timeout: 20_000 }).toBe(1);
    const versions = await api<{ items: Array<{ version: number }> }>('GET', '/processes/leave-request/versions');
    await page.goto(`${server.url}/admin/processes/leave-request/versions/${versions.data.items[0]!.version}`);
    await page.locator('.djs-container').waitFor();
    await page.getByTestId('monitoring-toggle').click();
    const active = page.locator('.hd-monitor-active[data-element="approve"]');
    await expect.poll(() => active.textContent()).toBe('1');
    await active.click();
    await expect.poll(() => page.getByTestId('node-instances').innerText()).toContain('Leave in March'); // an explicit title wins over the one the start dialog sets
    await screenshot(page, 'monitoring-overlay');
    await page.close();
  });

  it('edits, versions and runs a library script', async () => {
    const page = await newPage();
    await signIn(page, server.url, '/admin/scripts');
    await page.locator('[data-script="count-leave-days"]').click();
    await expect.poll(() => page.locator('.cm-content').innerText()).toContain('working days');

    // Run with sample params: the working days of a week.
    await page.getByLabel('params').fill('{"start": "2026-03-02", "end": "2026-03-08"}');
    await page.getByRole('button', { name: 'Run in the sandbox' }).click();
    const result = page.getByTestId('run-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toContain('"days": 5');

    // A broken edit: the error names its line; then Save stores a new version.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nthrow new Error("boom");');
    await page.getByRole('button', { name: 'Run in the sandbox' }).click();
    await expect.poll(() => result.getAttribute('data-ok')).toBe('false');
    expect(await result.innerText()).toMatch(/boom/);
    const before = await page.getByTestId('script-version').inputValue();
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved as version' }).count()).toBe(1);
    expect(Number(await page.getByTestId('script-version').inputValue())).toBe(Number(before) + 1);
    await screenshot(page, 'script-library');
    await page.close();
  });

  it('creates an outbound service with an operation and test-calls it', async () => {
    const page = await newPage();
    await signIn(page, server.url, '/admin/services');
    await page.getByRole('button', { name: 'New service' }).click();
    const form = page.getByRole('form', { name: 'Outbound service' });
    await form.getByLabel('Name', { exact: true }).fill('self');
    await form.getByLabel('Base URL').fill(server.url);
    await form.getByLabel('Private hosts allowed').fill('127.0.0.1');
    await page.getByRole('button', { name: 'Add an operation' }).click();
    await form.getByLabel('Operation name').fill('health');
    await form.getByLabel('Path').fill('/healthz');
    await form.getByLabel('Answer → variables').fill('status = /status');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-service="self"]').waitFor();
    await page.getByRole('button', { name: 'Test call' }).click();
    const result = page.getByTestId('test-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toMatch(/HTTP 200/);
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toContain('"status": "ok"');
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, 'outbound-service');
    await page.close();
  });
});
