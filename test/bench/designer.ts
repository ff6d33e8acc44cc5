/**
 * Designer: the time to open a generated 200-node process on the canvas in headless Chromium, from
 * navigation to every shape drawn and the first validation shown (goal: ≤ 1 s). The process is a
 * chain of user and script tasks with exclusive gateways every tenth node (each with a conditional
 * branch to the next task), laid out by the engine. Needs the designer build
 * (`npm run build:designer`) and Debian's `chromium`. Prints `BENCH designer.open200 <ms> ms`
 * (median of 5 openings after one warm-up) and the same for the first, cold opening; then
 * `BENCH designer.layout200` (ELK's layered layout of the same process in Node, median of 5 after a
 * warm-up; goal ≤ 500 ms) and `BENCH designer.open200.elk` (opening it laid out that way, warm;
 * goal ≤ 1.5 s). Then the form builder: a user task with a 40-field dialog selected, its form title typed 20 times; each time,
 * from the input event to the live preview showing the new title (Svelte's update, before paint;
 * goal: within one frame, 16.7 ms). Prints `BENCH designer.formPreview40 <ms> ms` (median).
 */
import { elkLayout, layoutProcess, type Process, type ProcessNode, type Transition } from '../../engine/index';
import { ADMIN_PASSWORD, assertDesignerBuilt, launchBrowser, signIn, startServer } from '../e2e/support';
import { print } from './_server';

const NODES = 200;

/** The bit of the browser's document the wait uses (this file is type-checked without the DOM library). */
interface MiniDocument {
  querySelectorAll(selector: string): { length: number };
  querySelector(selector: string): { textContent: string | null } | null;
}
const RUNS = 5;

/** start → (task | gateway)… → end, NODES nodes in all. */
function generated(key: string, diagram = true): Process {
  const nodes: ProcessNode[] = [{ id: 'start', type: 'startEvent', name: 'Start' }];
  const transitions: Transition[] = [];
  for (let i = 1; i < NODES - 1; i++) {
    const id = `n${i}`;
    if (i % 10 === 0) nodes.push({ id, type: 'exclusiveGateway', name: `Check ${i}`, default: `t${i}` });
    else if (i % 3 === 0) nodes.push({ id, type: 'scriptTask', name: `Compute ${i}`, script: { source: `return { vars: { step: ${i} } };` } });
    else nodes.push({ id, type: 'userTask', name: `Task ${i}`, dialog: { interfaces: ['agent'], fields: [{ field: 'Article', display: 'shown' }], submitText: 'Done' } });
  }
  nodes.push({ id: 'end', type: 'endEvent', name: 'Done' });
  for (let i = 0; i < nodes.length - 1; i++) transitions.push({ id: `t${i}`, from: nodes[i]!.id, to: nodes[i + 1]!.id });
  for (let i = 10; i < NODES - 3; i += 10) {
    transitions.push({ id: `skip${i}`, from: `n${i}`, to: `n${i + 2}`, order: 1, condition: { all: [{ field: 'Queue', op: 'eq', value: 'Misc' }] } });
  }
  const process: Process = { format: 'process/1', key, name: `Generated ${NODES}`, start: { interfaces: ['agent'] }, nodes, transitions };
  return diagram ? { ...process, diagram: layoutProcess(process) } : process;
}

/** The median of `runs` timings of `fn` after one warm-up. */
async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const bare = generated('generated-200-elk', false);
print('designer.layout200', await median(RUNS, () => elkLayout(bare)), 'ms');
const tidy = { ...bare, diagram: await elkLayout(bare) };

assertDesignerBuilt();
const server = await startServer();
const browser = await launchBrowser();
try {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${server.url}/api/v1/processes`, {
    method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(generated('generated-200')),
  });
  if (created.status !== 201) throw new Error(`creating the process failed: ${created.status} ${await created.text()}`);

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(page, server.url);
  const tidied = await fetch(`${server.url}/api/v1/processes`, {
    method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(tidy),
  });
  if (tidied.status !== 201) throw new Error(`creating the laid-out process failed: ${tidied.status} ${await tidied.text()}`);
  const open = async (key = 'generated-200'): Promise<number> => {
    await page.goto(`${server.url}/admin`);
    const t = performance.now();
    await page.goto(`${server.url}/admin/processes/${key}`);
    // Every shape drawn, and the save status shown (the page is ready to edit). A function, not a
    // string: the page's Content Security Policy forbids eval.
    await page.waitForFunction(
      (n: number) => {
        const doc = (globalThis as unknown as { document: MiniDocument }).document;
        return doc.querySelectorAll('.djs-shape[data-element-id]:not([data-element-id$="_label"])').length >= n
          && doc.querySelector('[data-testid="save-status"]')?.textContent === 'Saved';
      },
      NODES,
      { timeout: 60_000, polling: 'raf' },
    );
    return performance.now() - t;
  };
  print('designer.open200.cold', await open(), 'ms');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await open());
  times.sort((a, b) => a - b);
  print('designer.open200', times[Math.floor(times.length / 2)]!, 'ms');
  await open('generated-200-elk');
  const elkTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) elkTimes.push(await open('generated-200-elk'));
  elkTimes.sort((a, b) => a - b);
  print('designer.open200.elk', elkTimes[Math.floor(elkTimes.length / 2)]!, 'ms');

  // The form builder's live preview with a 40-field dialog.
  const fields = Array.from({ length: 40 }, (_, i) => ({ field: `DynamicField_Bench${i}`, display: i % 4 === 0 ? 'mandatory' as const : 'shown' as const, label: `Field ${i}` }));
  const form: Process = {
    format: 'process/1', key: 'form-40', name: 'Form 40', start: { interfaces: ['agent', 'customer'] },
    nodes: [
      { id: 'start', type: 'startEvent' },
      { id: 'big', type: 'userTask', name: 'Big form', dialog: { interfaces: ['agent', 'customer'], fields, rules: [{ when: { field: 'DynamicField_Bench0', op: 'eq', value: 'x' }, then: 'hide', fields: ['DynamicField_Bench1'] }] } },
      { id: 'end', type: 'endEvent' },
    ],
    transitions: [{ id: 'a', from: 'start', to: 'big' }, { id: 'b', from: 'big', to: 'end' }],
  };
  const made = await fetch(`${server.url}/api/v1/processes`, {
    method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ ...form, diagram: layoutProcess(form) }),
  });
  if (made.status !== 201) throw new Error(`creating the form process failed: ${made.status} ${await made.text()}`);
  await page.goto(`${server.url}/admin/processes/form-40`);
  await page.locator('.djs-shape[data-element-id="big"]').click();
  await page.locator('[data-testid="fb-preview"] [data-field="DynamicField_Bench39"]').waitFor({ timeout: 60_000 });
  const previews = await page.evaluate(async (n: number) => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { value: string; textContent: string | null; dispatchEvent(e: unknown): void } | null } }).document;
    const EventCtor = (globalThis as unknown as { Event: new (type: string, init: object) => unknown }).Event;
    const input = doc.querySelector('[data-testid="fb-title"]')!;
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const text = `Bench title ${i}`;
      const t0 = performance.now();
      input.value = text;
      input.dispatchEvent(new EventCtor('input', { bubbles: true }));
      while (doc.querySelector('[data-testid="fb-preview"] h3')?.textContent !== text) await new Promise((r) => setTimeout(r, 0));
      out.push(performance.now() - t0);
    }
    return out;
  }, 20);
  previews.sort((a, b) => a - b);
  print('designer.formPreview40', previews[Math.floor(previews.length / 2)]!, 'ms');
} finally {
  await browser.close();
  await server.stop();
}
