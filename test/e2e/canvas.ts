/**
 * Browser-test helpers for the bpmn-js canvas and its properties panel: where an element is on the
 * screen, selecting it, opening property groups and items, waiting for the draft to be saved.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** A point of an element on the screen: a shape's centre, or the middle of a flow's line. */
export async function center(page: Page, id: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate<{ x: number; y: number } | null>(`(() => {
    const hit = document.querySelector('.djs-element[data-element-id="${id}"] .djs-hit');
    if (!hit) return null;
    if (hit.tagName === 'polyline' || hit.tagName === 'path') {
      const p = hit.getPointAtLength(hit.getTotalLength() / 2);
      const s = new DOMPoint(p.x, p.y).matrixTransform(hit.getScreenCTM());
      return { x: s.x, y: s.y };
    }
    const box = hit.getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  })()`);
  if (!point) throw new Error(`element ${id} is not on the canvas`);
  return point;
}

/**
 * Selects an element by clicking it. Empty spots of the canvas are clicked first until nothing is
 * selected: the click that ends a create or connect drag leaves a trap that swallows the next click,
 * and the open context pad may lie over the element. `top`: how far below the canvas's top edge
 * those spots are.
 */
export async function clickElement(page: Page, id: string, top = 60): Promise<void> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const spots = [[canvas.x + 200, canvas.y + top], [canvas.x + canvas.width - 160, canvas.y + top]] as const;
  for (let i = 0; i < 8 && (await page.locator('.djs-element.selected').count()) > 0; i++) {
    const [x, y] = spots[i % 2]!;
    await page.mouse.click(x, y);
    await page.waitForTimeout(250);
  }
  expect(await page.locator('.djs-element.selected').count()).toBe(0);
  const selected = page.locator(`.djs-element.selected[data-element-id="${id}"]`);
  for (let i = 0; i < 3 && (await selected.count()) === 0; i++) {
    const { x, y } = await center(page, id);
    await page.mouse.click(x, y);
    await page.waitForTimeout(250);
  }
  await expect.poll(() => selected.count()).toBe(1);
}

/** Waits until the draft is saved (the save status says so). */
export async function waitSaved(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('save-status').textContent(), { timeout: 15_000 }).toBe('Saved');
}

/** Opens a properties group by its header label (when closed). */
export async function openGroup(page: Page, groupId: string): Promise<void> {
  const header = page.locator(`[data-group-id="group-${groupId}"] .bio-properties-panel-group-header`);
  if (!(await header.evaluate((e: { classList: { contains(c: string): boolean } }) => e.classList.contains('open')))) await header.click();
}

/** Opens an item of a list group (a comparison, an action, a dialog field) when closed. */
export async function openItem(page: Page, itemId: string): Promise<void> {
  const entries = page.locator(`[data-entry-id="${itemId}"] .bio-properties-panel-collapsible-entry-entries`);
  if (!(await entries.evaluate((e: { classList: { contains(c: string): boolean } }) => e.classList.contains('open')))) {
    await page.locator(`[data-entry-id="${itemId}"] .bio-properties-panel-collapsible-entry-header`).click();
  }
}

/**
 * Waits until the process page has opened its process: the canvas is there and the page is no
 * longer loading (the Test button is enabled once the process is drawn and fitted). Drawn shapes
 * appear before that, so waiting for them alone races the page's own loading.
 */
export async function waitCanvasReady(page: Page): Promise<void> {
  await page.locator('.djs-container').waitFor();
  await expect.poll(() => page.getByRole('button', { name: 'Test', exact: true }).isEnabled()).toBe(true);
}
