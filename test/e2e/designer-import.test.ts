/**
 * The designer's import report in a real browser (issue 19): a file whose key is taken asks for an
 * explicit choice (a new version, or a new process under an offered free key) before anything is
 * imported, and every element whose behaviour the conversion changes is listed. Screenshots:
 * test/e2e/screenshots/import-key-conflict.png, import-changed.png and import-several-processes.png
 * (a file of two processes, issue 19 item 2).
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDesignerBuilt, launchBrowser, pageOpener, ROOT, screenshot, signIn, startServer, type TestServer } from './support';

const FIXTURES = path.join(ROOT, 'test/fixtures/interchange');
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

const newPage = pageOpener(() => browser, 'import-');

describe('designer: import report', () => {
  it('asks what a file with a taken key becomes, and lists what the conversion changed', async () => {
    const page = await newPage({ width: 1280, height: 1000 });
    await signIn(page, server.url);
    const report = page.getByTestId('import-report');

    await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'bpmnjs-default-a.bpmn'));
    await expect.poll(() => page.getByTestId('import-outcome').textContent()).toContain('creates the process “process-1”');
    await report.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByText('Imported “Process_1” (process-1) as a draft').count()).toBe(1);

    // Another diagram with bpmn-js's default id: a conflict, and no import without a choice.
    await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'bpmnjs-default-b.bpmn'));
    const conflict = page.getByTestId('key-conflict');
    await expect.poll(() => conflict.textContent()).toContain('The key “process-1” is taken');
    const importButton = report.getByRole('button', { name: 'Import', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    expect(await conflict.getByLabel('Other key').inputValue()).toBe('process-1-2');
    await conflict.getByLabel('Other key').focus();
    expect(await importButton.isDisabled()).toBe(false);
    await screenshot(page, 'import-key-conflict');
    await importButton.click();
    await expect.poll(() => page.getByText('Imported “Process_1” (process-1-2) as a draft').count()).toBe(1);

    await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'behaviour-changes.bpmn'));
    const changed = page.getByTestId('import-changed');
    await expect.poll(() => changed.locator('li').count()).toBeGreaterThanOrEqual(5);
    const text = await changed.textContent();
    expect(text).toContain('Nightly (StartEvent): it is a timer start event');
    expect(text).toContain('Review (UserTask): it repeats as multi-instance (sequential)');
    expect(text).toContain('its default flow “otherwise” is tried last'.replace(/[“”]/g, '"'));
    await report.scrollIntoViewIfNeeded();
    await screenshot(page, 'import-changed');
  });

  it('lists every process of a file of several, with its outcome, and imports them together', async () => {
    const page = await newPage({ width: 1280, height: 1000 });
    await signIn(page, server.url);
    const report = page.getByTestId('import-report');
    await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'call-within-file.bpmn'));
    const list = page.getByTestId('import-processes');
    await expect.poll(() => list.locator('li').count()).toBe(2);
    const items = (await list.locator('li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(items).toEqual([
      'Credit check (multi) (credit-check-multi): Importing creates the process “credit-check-multi”.',
      'Order intake (multi) (order-intake-multi): Importing creates the process “order-intake-multi”.',
    ]);
    expect(await report.textContent()).toContain('This file holds 2 processes');
    await screenshot(page, 'import-several-processes');
    await report.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByText('Imported “Order intake (multi)” (order-intake-multi) as a draft').count()).toBe(1);
  });
});

