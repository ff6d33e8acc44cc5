/**
 * Worker threads that run mailparser (parse-worker.mjs), so parsing a large or hostile mail never
 * holds the event loop: one message at a time per worker, a deadline per mail (the worker is
 * killed and replaced when it runs over), a heap limit, and a crash answered as a failed parse.
 * The workers are unref'd and started on first use; `closeParsePool()` stops them.
 */
import { Worker } from 'node:worker_threads';
import { MailProblem } from './types';

interface RawParsed {
  ok: boolean;
  code?: string;
  message?: string;
  mail?: unknown;
}

interface Slot {
  worker: Worker;
  busy?: { id: number; resolve: (r: RawParsed) => void; timer: NodeJS.Timeout };
  ready: Promise<void>;
}

const ENTRY = new URL('./parse-worker.mjs', import.meta.url);
const size = Math.max(1, Number(process.env.MAIL_PARSE_WORKERS) || 2);
let slots: Slot[] = [];
const waiting: Array<() => void> = [];
let nextId = 1;

function spawn(): Slot {
  const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: 512 } });
  worker.unref();
  let ready!: () => void;
  const slot: Slot = { worker, ready: new Promise((r) => (ready = r)) };
  worker.on('message', (m: RawParsed & { id?: number; ready?: boolean }) => {
    if (m.ready) return ready();
    const b = slot.busy;
    if (!b || b.id !== m.id) return;
    clearTimeout(b.timer);
    slot.busy = undefined;
    b.resolve(m);
    waiting.shift()?.();
  });
  const die = (message: string) => {
    const b = slot.busy;
    slot.busy = undefined;
    slots = slots.filter((s) => s !== slot);
    if (b) {
      clearTimeout(b.timer);
      b.resolve({ ok: false, code: 'PARSE_FAILED', message });
    }
    waiting.shift()?.();
  };
  worker.on('error', (e) => die(`the parser failed: ${e.message}`));
  worker.on('exit', (code) => die(`the parser stopped (exit code ${code})`));
  return slot;
}

/** Until its caller fills in the real job, a slot handed out is held by this, so no other caller gets it. */
const RESERVED = { id: -1, resolve: () => undefined, timer: undefined as unknown as NodeJS.Timeout };

/** A worker for one mail, reserved before it is returned (callers in the same tick get different ones). */
async function freeSlot(): Promise<Slot> {
  for (;;) {
    let slot = slots.find((s) => !s.busy);
    if (!slot && slots.length < size) {
      slot = spawn();
      slots.push(slot);
    }
    if (slot) {
      slot.busy = RESERVED;
      return slot;
    }
    await new Promise<void>((r) => waiting.push(r));
  }
}

/** Parses `raw` in a worker; throws `MailProblem` (MALFORMED, PARSE_FAILED, PARSE_TIMEOUT). */
export async function parseInWorker(raw: Buffer, timeoutMs: number): Promise<unknown> {
  const slot = await freeSlot();
  const id = nextId++;
  const result = await new Promise<RawParsed>((resolve) => {
    const timer = setTimeout(() => {
      slot.busy = undefined;
      slots = slots.filter((s) => s !== slot);
      void slot.worker.terminate();
      resolve({ ok: false, code: 'PARSE_TIMEOUT', message: `parsing took longer than ${timeoutMs} ms` });
      waiting.shift()?.();
    }, timeoutMs);
    slot.busy = { id, resolve, timer };
    void slot.ready.then(() => {
      if (slot.busy?.id === id) slot.worker.postMessage({ id, raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) });
    });
  });
  if (!result.ok) throw new MailProblem((result.code as 'MALFORMED') ?? 'PARSE_FAILED', result.message ?? 'the mail could not be parsed');
  return result.mail;
}

export async function closeParsePool(): Promise<void> {
  const all = slots;
  slots = [];
  await Promise.all(all.map((s) => s.worker.terminate()));
}
