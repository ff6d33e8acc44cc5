/**
 * The designer in a real browser against a real server: an admin signs in, creates a process, draws
 * on the canvas with the palette and the context pad, configures it in the properties panel, sees a
 * validation problem come and go, deploys, and exports JSON that validates and holds what was drawn.
 * Importing each shipped process renders every node and transition. Screenshots go to
 * test/e2e/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateProcess, type Process } from '../../engine/index';
import { assertDesignerBuilt, launchBrowser, ROOT, screenshot, screenshotOnFailure, signIn, startServer, type TestServer } from './support';
import { center, clickElement, openGroup, waitCanvasReady, waitSaved } from './canvas';

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

/** The page of the running test, photographed when the test fails. */
const track = screenshotOnFailure();

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return page;
}

/** Ids of the shapes (not labels, not the root) on the canvas. */
function shapeIds(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(
    `Array.from(document.querySelectorAll('.djs-shape[data-element-id]')).map((e) => e.getAttribute('data-element-id')).filter((id) => !id.endsWith('_label'))`,
  );
}

function connectionIds(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`Array.from(document.querySelectorAll('.djs-connection[data-element-id]')).map((e) => e.getAttribute('data-element-id'))`);
}

/** Clicks a palette entry, then the canvas at (x, y); returns the id of the new shape. */
async function createFromPalette(page: Page, action: string, x: number, y: number): Promise<string> {
  const before = new Set(await shapeIds(page));
  await page.locator(`.djs-palette [data-action="${action}"]`).click();
  await page.mouse.move(x - 20, y - 20, { steps: 3 });
  await page.mouse.move(x, y, { steps: 5 });
  await page.mouse.click(x, y);
  await expect.poll(async () => (await shapeIds(page)).filter((id) => !before.has(id)).length).toBe(1);
  return (await shapeIds(page)).find((id) => !before.has(id))!;
}

/** Connects two shapes with the context pad's connect tool; returns the new flow's id. */
async function connect(page: Page, from: string, to: string): Promise<string> {
  const before = new Set(await connectionIds(page));
  await clickElement(page, from);
  await page.locator('.djs-context-pad [data-action="connect"]').click();
  const target = await center(page, to);
  await page.mouse.move(target.x - 10, target.y, { steps: 5 });
  await page.mouse.move(target.x, target.y, { steps: 3 });
  await page.mouse.click(target.x, target.y);
  await expect.poll(async () => (await connectionIds(page)).filter((id) => !before.has(id)).length).toBe(1);
  return (await connectionIds(page)).find((id) => !before.has(id))!;
}

function problemsText(page: Page): Promise<string> {
  return page.getByTestId('problems').innerText();
}

describe('designer', () => {
  it('draws, configures, validates, deploys and exports a process', async () => {
    const page = await newPage();
    track(page);
    await signIn(page, server.url);
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(0);

    // Create: a valid start → task → end, opened on the canvas.
    await page.getByRole('button', { name: 'New process' }).click();
    await page.getByLabel('Name').fill('E2E order');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/admin\/processes\/e2e-order$/);
    await waitCanvasReady(page);
    await waitSaved(page);
    expect(await problemsText(page)).toContain('No problems');

    // Remove the end event; the first task now leads nowhere.
    await clickElement(page, 'end');
    await page.locator('.djs-context-pad [data-action="delete"]').click();
    const work = await center(page, 'work');

    // A user task from the palette, not connected yet: a validation problem, marked on the shape.
    const review = await createFromPalette(page, 'create.user-task', work.x + 140, work.y);
    await expect.poll(() => page.locator(`.hd-problem-badge[data-element="${review}"]`).count()).toBe(1);
    expect(await problemsText(page)).toMatch(/error/i);
    expect(await page.getByRole('button', { name: 'Deploy' }).isDisabled()).toBe(true);
    await screenshot(page, 'validation-error');

    // Draw the rest: gateway, two script tasks, an end event; connect everything.
    const gateway = await createFromPalette(page, 'create.exclusive-gateway', work.x + 260, work.y);
    const scriptA = await createFromPalette(page, 'create.script-task', work.x + 370, work.y - 110);
    const scriptB = await createFromPalette(page, 'create.script-task', work.x + 370, work.y + 110);
    const end = await createFromPalette(page, 'create.end-event', work.x + 480, work.y);
    expect(await problemsText(page)).toContain(`Node "${review}" has no incoming transition`);
    expect(await problemsText(page)).toContain('Node "work" has no outgoing transition');
    await connect(page, 'work', review);
    await expect.poll(() => problemsText(page)).not.toContain('Node "work" has no outgoing transition');
    expect(await problemsText(page)).not.toContain(`Node "${review}" has no incoming transition`);
    await connect(page, review, gateway);
    const toA = await connect(page, gateway, scriptA);
    await connect(page, gateway, scriptB);
    await connect(page, scriptA, end);
    await connect(page, scriptB, end);

    // The script tasks have no script yet: marked until one is written.
    await expect.poll(() => page.locator(`.hd-problem-badge[data-element="${scriptA}"]`).count()).toBe(1);
    for (const [task, source] of [[scriptA, 'export default () => ({ vars: { path: "a" } });'], [scriptB, 'export default () => ({ vars: { path: "b" } });']] as const) {
      await clickElement(page, task);
      await openGroup(page, 'hd-script');
      await page.locator('[data-entry-id="hd-script-source"] textarea').fill(source);
    }
    await expect.poll(() => page.locator(`.hd-problem-badge[data-element="${scriptA}"]`).count()).toBe(0);
    // B gets a param (a template), edited as a key/value pair.
    await openGroup(page, 'hd-params');
    await page.locator('[data-group-id="group-hd-params"] .bio-properties-panel-add-entry').click();
    await page.locator('[data-entry-id="hd-param-0-value"] input').fill('{{ticket.title}}');
    await page.locator('[data-entry-id="hd-param-0-key"] input').fill('subject');
    await expect.poll(() => page.locator('[data-entry-id="hd-param-0"] .bio-properties-panel-collapsible-entry-header').innerText()).toContain('subject');

    // The user task's dialog: a mandatory title field, and a submit text.
    await clickElement(page, review);
    await openGroup(page, 'hd-dialog');
    await page.locator('[data-entry-id="hd-dialog-submitText"] input').fill('Decide');
    await openGroup(page, 'hd-dialog-fields');
    await page.locator('[data-group-id="group-hd-dialog-fields"] .bio-properties-panel-add-entry').click();
    await page.locator('[data-entry-id="hd-field-0-field"] select').selectOption('Title');
    await page.locator('[data-entry-id="hd-field-0-display"] select').selectOption('mandatory');
    await page.locator('[data-entry-id="hd-field-0-description"] input').fill('What is it about?');
    await screenshot(page, 'properties-user-task');

    // The transition to A: a condition on the queue and an action.
    await clickElement(page, toA);
    await openGroup(page, 'hd-transition');
    await page.locator('[data-entry-id="hd-flow-order"] input').fill('1');
    await page.locator('[data-entry-id="hd-flow-condition-kind"] select').selectOption('structured');
    await openGroup(page, 'hd-conditions');
    await page.locator('[data-entry-id="hd-cmp-0-field"] select').selectOption('Queue');
    await page.locator('[data-entry-id="hd-cmp-0-value"] input').fill('Misc');
    await openGroup(page, 'hd-actions');
    await page.locator('[data-group-id="group-hd-actions"] .bio-properties-panel-add-entry').click();
    // The queue is picked from the queues that exist.
    await page.locator('[data-entry-id="hd-action-0-queue"] select').selectOption('Raw');

    // No errors left: deploy.
    await waitSaved(page);
    const deploy = page.getByRole('button', { name: 'Deploy', exact: true });
    await expect.poll(() => deploy.isEnabled(), { timeout: 15_000 }).toBe(true);
    await deploy.click();
    await expect.poll(() => page.getByTestId('deploy-message').textContent().catch(() => ''), { timeout: 15_000 }).toBe('Deployed version 1');

    // The version list links to a read-only view of version 1.
    await page.locator('.versions summary').click();
    await page.getByRole('link', { name: 'v1' }).click();
    await page.waitForURL(/\/admin\/processes\/e2e-order\/versions\/1$/);
    await expect.poll(async () => (await shapeIds(page)).length).toBe(7);
    expect(await page.locator('.djs-palette').count()).toBe(0);
    await page.goBack();
    await waitCanvasReady(page);

    // Export JSON from the list: valid, and what was drawn.
    await page.getByRole('link', { name: '← Processes' }).click();
    const row = page.locator('tr[data-key="e2e-order"]');
    await row.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'JSON' }).click()]);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as Process;
    expect(validateProcess(exported).filter((p) => p.severity === 'error')).toEqual([]);
    expect(exported).toMatchObject({ key: 'e2e-order', name: 'E2E order', version: 1, state: 'active' });
    const types = exported.nodes.map((n) => n.type).sort();
    expect(types).toEqual(['endEvent', 'exclusiveGateway', 'scriptTask', 'scriptTask', 'startEvent', 'userTask', 'userTask']);
    const reviewNode = exported.nodes.find((n) => n.id === review);
    expect(reviewNode).toMatchObject({ type: 'userTask', dialog: { submitText: 'Decide', fields: [{ field: 'Title', display: 'mandatory', description: 'What is it about?' }] } });
    expect(exported.nodes.find((n) => n.id === scriptA)).toMatchObject({ type: 'scriptTask', script: { source: 'export default () => ({ vars: { path: "a" } });' } });
    expect(exported.nodes.find((n) => n.id === scriptB)).toMatchObject({ type: 'scriptTask', params: { subject: '{{ticket.title}}' } });
    expect(exported.transitions).toHaveLength(7);
    expect(exported.transitions.find((t) => t.id === toA)).toMatchObject({
      from: gateway,
      to: scriptA,
      order: 1,
      condition: { all: [{ field: 'Queue', op: 'eq', value: 'Misc' }] },
      actions: [{ type: 'TicketQueueSet', queue: 'Raw' }],
    });
    await page.close();
  });

  it('imports each shipped process and renders all its shapes', async () => {
    const page = await newPage();
    track(page);
    await signIn(page, server.url);
    const files = fs.readdirSync(path.join(ROOT, 'processes')).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'processes', file), 'utf8')) as Process;
      await page.goto(`${server.url}/admin/processes`);
      await page.getByTestId('import-file').setInputFiles(path.join(ROOT, 'processes', file));
      const report = page.getByTestId('import-report');
      await report.getByText(doc.key).first().waitFor();
      // The shipped processes are installed already: the key is taken, and the report asks what the file becomes.
      const conflict = page.getByTestId('key-conflict');
      await expect.poll(() => conflict.textContent()).toContain(`The key “${doc.key}” is taken`);
      await conflict.getByRole('radio').first().check();
      const plain = report.getByRole('button', { name: 'Import', exact: true });
      if (await plain.isEnabled()) await plain.click();
      else await report.getByRole('button', { name: 'Import and create missing' }).click();
      await page.getByText(`Imported “${doc.name}”`).waitFor();

      await page.goto(`${server.url}/admin/processes/${doc.key}`);
      await waitCanvasReady(page);
      await expect.poll(() => shapeIds(page)).toEqual(expect.arrayContaining(doc.nodes.map((n) => n.id)));
      expect((await shapeIds(page)).length).toBe(doc.nodes.length);
      expect((await connectionIds(page)).sort()).toEqual(doc.transitions.map((t) => t.id).sort());
      const service = doc.nodes.find((n) => n.type === 'serviceTask');
      if (service?.type === 'serviceTask') {
        // A service task shows its web service, operation and error codes as stored.
        await clickElement(page, service.id);
        await openGroup(page, 'hd-service');
        expect(await page.locator('[data-entry-id="hd-service-operation"] :is(input, select)').inputValue()).toBe(service.service.operation);
        await openGroup(page, 'hd-errors');
        expect(await page.locator('[data-group-id="group-hd-errors"] .bio-properties-panel-collapsible-entry').count()).toBe(service.errorMapping?.length ?? 0);
      }
      if (doc.key === 'leave-request') {
        await screenshot(page, 'canvas-shipped-process');
        const task = doc.nodes.find((n) => n.type === 'userTask')!;

        // Keyboard shortcuts on the focused canvas: Delete removes the selection, Ctrl+Z brings it back.
        await clickElement(page, task.id);
        await page.keyboard.press('Delete');
        await expect.poll(async () => (await shapeIds(page)).includes(task.id)).toBe(false);
        await page.keyboard.press('Control+z');
        await expect.poll(async () => (await shapeIds(page)).includes(task.id)).toBe(true);
        await waitSaved(page);

        await clickElement(page, task.id);
        await openGroup(page, 'hd-dialog-fields');
        await screenshot(page, 'properties-shipped-user-task');

        // A timer reads in words.
        const timer = doc.nodes.find((n) => n.type === 'boundaryTimer')!;
        await clickElement(page, timer.id);
        await openGroup(page, 'hd-timer');
        expect(await page.locator('[data-entry-id="hd-timer-preview"] input').inputValue()).toMatch(/^after \d+ hours?/);
      }
    }

    // Signing out leads to the login page, and the admin area asks to sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${server.url}/admin/processes`);
    await page.waitForURL(/\/login\?next=%2Fadmin%2Fprocesses$/);
    await page.close();
  });
});
