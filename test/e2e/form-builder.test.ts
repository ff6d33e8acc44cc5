/**
 * The form builder in a real browser (issue 18): an admin creates a process, builds its start form
 * in the properties panel (a ticket field, two dynamic fields created in place, a field rule), sees
 * the rule work in the live preview, lets customers start it with a customer description, and
 * deploys (warned that customers can start it). A customer then starts it in the portal, where the
 * rule hides and shows the field, and an agent completes the next dialog. Screenshots go to
 * test/e2e/screenshots/form-builder-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, pageOpener, screenshot, signIn, startServer, type TestServer } from './support';
import { clickElement, openGroup, waitCanvasReady, waitSaved } from './canvas';

let server: TestServer;
let browser: Browser;
const newPage = pageOpener(() => browser, 'form-builder-');

beforeAll(async () => {
  assertDesignerBuilt();
  server = await startServer();
  browser = await launchBrowser();
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const CUSTOMER = { email: 'fb-customer@example.com', password: 'fb-portal-pass-1' };

async function portalSignIn(page: Page, target: string): Promise<void> {
  await page.goto(`${server.url}${target}`);
  await page.waitForURL(/\/portal\/login/);
  await page.getByLabel('Email address').fill(CUSTOMER.email);
  await page.getByLabel('Password', { exact: true }).fill(CUSTOMER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname + u.search === target);
}

describe('form builder', () => {
  it('builds a start form with a field rule, deploys, a customer starts it in the portal and an agent completes the dialog', async () => {
    const page = await newPage({ width: 1440, height: 1000 });
    await signIn(page, server.url);
    await page.getByRole('button', { name: 'New process' }).click();
    await page.getByLabel('Name').fill('E2E equipment');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/admin\/processes\/e2e-equipment$/);
    await waitCanvasReady(page);

    // The start event opens the start form; customers may start the process, and read their own description.
    await clickElement(page, 'start');
    await openGroup(page, 'hd-process');
    await page.locator('[data-entry-id="hd-process-interfaces"] select').selectOption('agent customer');
    await page.locator('[data-entry-id="hd-process-customerDescription"] textarea').fill('Order a laptop or a phone.');
    await openGroup(page, 'hd-form');
    const builder = page.getByTestId('form-builder');
    await expect.poll(() => builder.isVisible()).toBe(true);
    await builder.getByTestId('fb-title').fill('What do you need?');
    await builder.getByTestId('fb-add').selectOption('Title');
    await builder.locator('ol.fields li[data-field="Title"] .head select').selectOption('mandatory');

    // Two dynamic fields created in place: a dropdown with choices and a text.
    for (const f of [{ name: 'FbKind', label: 'Kind of device', type: 'dropdown', choices: 'laptop=Laptop\nphone=Phone' }, { name: 'FbModel', label: 'Model', type: 'text' }]) {
      await builder.getByTestId('fb-add').selectOption('+new');
      await builder.getByTestId('fb-new-name').fill(f.name);
      await builder.getByTestId('fb-new-label').fill(f.label);
      await builder.getByTestId('fb-new-type').selectOption(f.type);
      if (f.choices) await builder.getByTestId('fb-new-choices').fill(f.choices);
      await builder.getByRole('button', { name: 'Create and add' }).click();
      await expect.poll(() => builder.locator(`ol.fields li[data-field="DynamicField_${f.name}"]`).count()).toBe(1);
    }
    // Dragged into order: the model above the kind, then back with ↑ (either way: one order, saved).
    // (The drag events themselves: headless Chromium does not turn mouse moves into a native drag.)
    const dataTransfer = await page.evaluateHandle(() => new (globalThis as unknown as { DataTransfer: new () => object }).DataTransfer());
    await builder.locator('ol.fields li[data-field="DynamicField_FbModel"]').dispatchEvent('dragstart', { dataTransfer });
    await builder.locator('ol.fields li[data-field="DynamicField_FbKind"]').dispatchEvent('dragover', { dataTransfer });
    await builder.locator('ol.fields li[data-field="DynamicField_FbKind"]').dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => builder.locator('ol.fields li').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))).toEqual(['Title', 'DynamicField_FbModel', 'DynamicField_FbKind']);
    await builder.locator('ol.fields li[data-field="DynamicField_FbKind"]').getByRole('button', { name: 'Move up' }).click();
    await expect.poll(() => builder.locator('ol.fields li').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))).toEqual(['Title', 'DynamicField_FbKind', 'DynamicField_FbModel']);

    // The rule: when the kind is laptop, show the model.
    await builder.getByTestId('fb-add-rule').click();
    const rule = builder.getByTestId('fb-rule');
    await rule.getByLabel('Field', { exact: true }).selectOption('DynamicField_FbKind');
    await rule.getByLabel('Comparison').selectOption('eq');
    await rule.getByLabel('Value').selectOption('laptop');
    await rule.getByLabel('Effect').selectOption('show');
    await rule.getByLabel('Target field').selectOption('DynamicField_FbModel');

    // The live preview as the customer judges the rule as the portal will.
    const preview = builder.getByTestId('fb-preview');
    await expect.poll(() => preview.locator('[data-field="DynamicField_FbKind"] select').count()).toBe(1);
    expect(await preview.locator('[data-field="DynamicField_FbModel"]').count()).toBe(0);
    await preview.locator('[data-field="DynamicField_FbKind"] select').selectOption('laptop');
    await expect.poll(() => preview.locator('[data-field="DynamicField_FbModel"]').count()).toBe(1);
    await builder.scrollIntoViewIfNeeded();
    await screenshot(page, 'form-builder-start-form');

    // The agent's dialog of the task: the model is shown to the agent too.
    await clickElement(page, 'work');
    await openGroup(page, 'hd-form');
    await page.getByTestId('form-builder').getByTestId('fb-add').selectOption('DynamicField_FbModel');
    await expect.poll(() => page.getByTestId('form-builder').locator('ol.fields li').count()).toBe(2);

    // Deploy: offered to customers, which the admin is told.
    await waitSaved(page);
    const deploy = page.getByRole('button', { name: 'Deploy', exact: true });
    await expect.poll(() => deploy.isEnabled(), { timeout: 20_000 }).toBe(true);
    await deploy.click();
    await expect.poll(() => page.getByTestId('deploy-message').textContent(), { timeout: 20_000 }).toContain('Deployed version 1');
    expect(await page.getByTestId('deploy-warning').textContent()).toContain('Customers can start this process in the portal');
    await screenshot(page, 'form-builder-deployed');
    await page.close();

    // A customer registers and starts the process in the portal.
    const reg = await fetch(`${server.url}/api/v1/auth/customer/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: CUSTOMER.email, firstName: 'Fiona', lastName: 'Builder', password: CUSTOMER.password }),
    });
    expect(reg.status).toBe(202);
    const portal = await newPage();
    await portalSignIn(portal, '/portal/processes');
    const card = portal.locator('.cards li', { hasText: 'E2E equipment' });
    await expect.poll(() => card.textContent()).toContain('Order a laptop or a phone.');
    await card.locator('a').click();
    const form = portal.getByRole('form', { name: 'What do you need?' });
    await expect.poll(() => form.isVisible()).toBe(true);
    await form.locator('[data-field="Title"] input').fill('New laptop please');
    // The rule hides the model until the kind is laptop, and shows it then.
    expect(await form.locator('[data-field="DynamicField_FbModel"]').count()).toBe(0);
    await form.locator('[data-field="DynamicField_FbKind"] select').selectOption('phone');
    expect(await form.locator('[data-field="DynamicField_FbModel"]').count()).toBe(0);
    await form.locator('[data-field="DynamicField_FbKind"] select').selectOption('laptop');
    await expect.poll(() => form.locator('[data-field="DynamicField_FbModel"]').count()).toBe(1);
    await form.locator('[data-field="DynamicField_FbModel"] input').fill('ThinkPad X1');
    await screenshot(portal, 'form-builder-portal-start');
    await form.getByRole('button', { name: 'Start' }).click();
    await portal.waitForURL(/\/portal\/tickets\/\d+$/);
    const ticketId = Number(/\/portal\/tickets\/(\d+)$/.exec(portal.url())![1]);
    await portal.close();

    // An agent completes the dialog of the task in the ticket zoom.
    const admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    expect((await admin('GET', `/api/v1/tickets/${ticketId}`)).body.dynamicFields).toMatchObject({ FbKind: 'laptop', FbModel: 'ThinkPad X1' });
    const agent = await newPage();
    await signIn(agent, server.url, `/agent/tickets/${ticketId}`);
    const dialog = agent.getByRole('form', { name: 'Work on the ticket' });
    await expect.poll(() => dialog.isVisible(), { timeout: 20_000 }).toBe(true);
    await dialog.locator('[data-field="DynamicField_FbModel"] input').fill('ThinkPad X1 Carbon');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(async () => (await admin('GET', `/api/v1/tickets/${ticketId}/process`)).body.status, { timeout: 20_000 }).toBe('completed');
    expect((await admin('GET', `/api/v1/tickets/${ticketId}`)).body.dynamicFields).toMatchObject({ FbModel: 'ThinkPad X1 Carbon' });
    await screenshot(agent, 'form-builder-agent-done');
    await agent.close();
  });
});
