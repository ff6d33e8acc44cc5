/**
 * Rendering article bodies without holding the event loop: an HTML body is sanitised and its text
 * extracted (`renderHtmlBody`) inline when small, and in a small pool of `worker_threads` above
 * `INLINE_MAX_CHARS`; sanitising is superlinear on deeply nested markup, so a large body could
 * otherwise stop every other request for seconds. A body the worker cannot finish within
 * `RENDER_TIMEOUT_MS` (or that crashes it) is refused, and the worker replaced.
 *
 * Callers that open a transaction first await `prepareArticleBody(input)`, so the work runs while
 * no database connection is held; `renderedBody(input)` (inside `insertArticle`) then takes the
 * prepared result, or renders now. One pool per process (pure CPU work, no state); workers keep
 * the process alive only while they have work; `closeRenderPool` stops them on shutdown.
 */
import { Worker } from 'node:worker_threads';
import { renderHtmlBody, type RenderedBody } from './sanitize';
import type { RenderReply, RenderRequest } from './render-worker';

/** Bodies up to this many characters are rendered inline (a few milliseconds at most). */
export const INLINE_MAX_CHARS = 64 * 1024;
/** Workers in the pool. */
const POOL_SIZE = 2;
/** A body still unfinished after this long is refused and its worker replaced. */
export const RENDER_TIMEOUT_MS = 30_000;

/** Why a body could not be rendered (`insertArticle` turns it into a 400 naming the field). */
export class RenderFailed extends Error {
  constructor(readonly reason: 'timeout' | 'crash', message: string) {
    super(message);
  }
}

interface Job {
  id: number;
  html: string;
  resolve: (b: RenderedBody) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: ReturnType<typeof setTimeout>;
  dead?: boolean;
}

const WORKER_ENTRY = new URL('./render-worker-boot.mjs', import.meta.url);

class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  readonly counts = { started: 0, runs: 0, replaced: 0 };

  run(html: string): Promise<RenderedBody> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, html, resolve, reject });
      this.dispatch();
    });
  }

  stats() {
    return { ...this.counts, busy: this.slots.filter((s) => s.job).length, queued: this.queue.length };
  }

  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(new RenderFailed('crash', 'the server is shutting down'));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.dead = true;
      this.finish(s)?.reject(new RenderFailed('crash', 'the server is shutting down'));
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_ENTRY, { resourceLimits: { maxOldGenerationSizeMb: 512 } }) };
    this.counts.started += 1;
    slot.worker.on('message', (m: RenderReply) => {
      if (slot.job?.id !== m.id) return;
      const job = this.finish(slot)!;
      this.counts.runs += 1;
      if (m.ok) job.resolve(m.body);
      else job.reject(new RenderFailed('crash', m.message));
      this.dispatch();
    });
    const died = (why: string) => {
      if (slot.dead) return;
      this.retire(slot);
      this.finish(slot)?.reject(new RenderFailed('crash', `the renderer stopped (${why})`));
      this.dispatch();
    };
    slot.worker.on('error', (e) => died(e.message));
    slot.worker.on('exit', (code) => died(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): Job | undefined {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  }

  private retire(slot: Slot): void {
    slot.dead = true;
    this.counts.replaced += 1;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  private dispatch(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => !s.job) ?? (this.slots.length < POOL_SIZE ? this.spawn() : undefined);
      if (!slot) break;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        if (slot.job !== job) return;
        this.retire(slot);
        this.finish(slot);
        job.reject(new RenderFailed('timeout', `it could not be processed within ${RENDER_TIMEOUT_MS / 1000} s`));
        this.dispatch();
      }, RENDER_TIMEOUT_MS);
      slot.worker.postMessage({ id: job.id, html: job.html } satisfies RenderRequest);
    }
    // Idle workers do not keep the process alive.
    for (const s of this.slots) {
      if (s.job) s.worker.ref();
      else s.worker.unref();
    }
  }
}

let pool: RenderPool | undefined;

/**
 * The sanitised HTML and text of an HTML body: inline when small, in a worker thread otherwise.
 * Rejects with `RenderFailed` when the worker times out or crashes.
 *
 * @example
 * await renderHtml('<p onclick="x()">Hi</p>'); // { html: '<p>Hi</p>', text: 'Hi' }
 */
export function renderHtml(html: string): Promise<RenderedBody> {
  if (html.length <= INLINE_MAX_CHARS) {
    try {
      return Promise.resolve(renderHtmlBody(html));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
  return (pool ??= new RenderPool()).run(html);
}

const prepared = new WeakMap<object, Promise<RenderedBody>>();

/**
 * Renders an HTML article body now, before a transaction opens (await it: the transaction then
 * holds no connection while a worker sanitises); `insertArticle` takes the result. Does nothing
 * for other bodies and for bodies over `maxBytes` (`insertArticle` refuses those). Never rejects:
 * a failure is reported by `insertArticle`, naming the field.
 */
export async function prepareArticleBody(input: { contentType?: string; body?: unknown } | undefined, maxBytes: number): Promise<void> {
  if (!input || input.contentType !== 'text/html' || typeof input.body !== 'string' || prepared.has(input)) return;
  if (Buffer.byteLength(input.body, 'utf8') > maxBytes) return;
  const p = renderHtml(input.body);
  prepared.set(input, p);
  await p.catch(() => undefined);
}

/** The rendering of `input`'s HTML body: the prepared one, or started now. */
export function renderedBody(input: { body: string }): Promise<RenderedBody> {
  return prepared.get(input) ?? renderHtml(input.body);
}

/** What the worker pool has done (tests and benchmarks: did the work run off the event loop?). */
export function renderPoolStats() {
  return pool?.stats() ?? { started: 0, runs: 0, replaced: 0, busy: 0, queued: 0 };
}

/** Stops the render workers (shutdown). */
export async function closeRenderPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}
