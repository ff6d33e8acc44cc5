/**
 * A small pool of `worker_threads` that run scripts in QuickJS (NODE ONLY: the designer and every
 * pure module must not import this file). Each worker owns one QuickJS module with a hard-capped
 * WebAssembly memory; jobs wait in a FIFO queue. Besides the in-sandbox deadline, the host kills a
 * worker that does not answer within deadline + margin, and replaces it; a worker whose memory
 * passed the threshold, that crashed or that was killed is replaced too, so a hostile script costs
 * at most one worker, never the process, and the next script runs in a clean one.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { DEFAULT_TIMEOUT_MS, type ScriptRequest, type ScriptResult } from './contract';
import { DEFAULT_WASM_MAX_BYTES } from './quickjs';
import type { WorkerMessage, WorkerRequest } from './worker';

export interface PoolOptions {
  /** Number of workers (default 2). */
  size?: number;
  /** Hard cap of each worker's QuickJS WebAssembly memory (default 128 MiB). */
  wasmMaxBytes?: number;
  /** Replace a worker after a run that left its WebAssembly memory or JS heap above this (default 64 MiB). */
  recycleAboveBytes?: number;
  /** Extra time after a script's deadline before the host kills its worker (default 500 ms). */
  killMarginMs?: number;
  /** Time a worker has to start a script it was handed before the host replaces it (default 10 s). */
  startTimeoutMs?: number;
  /** Jobs allowed to wait; more are refused at once (default 10,000). */
  maxQueue?: number;
  /** V8 heap limits of each worker (default: 64 MB old generation). */
  resourceLimits?: ResourceLimits;
}

export interface PoolStats {
  size: number;
  busy: number;
  queued: number;
  /** Scripts answered (including failures). */
  runs: number;
  /** Workers killed by the host for missing the deadline. */
  killed: number;
  /** Workers replaced because of their memory. */
  recycled: number;
  /** Workers that died on their own (and were replaced). */
  crashed: number;
  /** Workers started in total. */
  started: number;
}

export interface ScriptPool {
  /** Runs a script; never rejects for a script's fault (the result says what went wrong). */
  run(request: ScriptRequest): Promise<ScriptResult>;
  /** Resolves when every worker has loaded QuickJS (optional; jobs wait for it anyway). */
  ready(): Promise<void>;
  stats(): PoolStats;
  /** Stops every worker; queued and running jobs fail. */
  close(): Promise<void>;
}

interface Job {
  id: number;
  request: ScriptRequest;
  resolve: (r: ScriptResult) => void;
  started?: number;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: ReturnType<typeof setTimeout>;
  /** Set when the pool itself ends this worker; its exit is then expected. */
  retiring?: boolean;
}

/** The worker entry: registers tsx in the thread (the code base is TypeScript), then loads `worker.ts`. */
const WORKER_ENTRY = new URL('./worker-boot.mjs', import.meta.url);

const fail = (kind: 'timeout' | 'memory' | 'script', message: string, started?: number, host?: 'host'): ScriptResult => ({
  ok: false,
  error: { kind, message, ...(host ? { host: true as const } : {}) },
  durationMs: started === undefined ? 0 : Math.round(performance.now() - started),
});

/**
 * Starts a pool of sandbox workers.
 *
 * @example
 * const pool = createScriptPool({ size: 2 });
 * const r = await pool.run({ source: 'export default () => ({ vars: { a: 1 } })', input: { ticket: {}, params: {}, vars: {} }, now: Date.now() });
 * // r: { ok: true, vars: { a: 1 }, dynamicFields: {}, durationMs: 0.5, logs: [] }
 * await pool.close();
 */
export function createScriptPool(options: PoolOptions = {}): ScriptPool {
  const size = Math.max(1, options.size ?? 2);
  const recycleAbove = options.recycleAboveBytes ?? 64 * 1024 * 1024;
  const margin = options.killMarginMs ?? 500;
  const startTimeout = options.startTimeoutMs ?? 10_000;
  const maxQueue = options.maxQueue ?? 10_000;
  const workerData = { wasmMaxBytes: options.wasmMaxBytes ?? DEFAULT_WASM_MAX_BYTES };
  const resourceLimits = options.resourceLimits ?? { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };
  const queue: Job[] = [];
  const slots: Slot[] = [];
  const counts = { runs: 0, killed: 0, recycled: 0, crashed: 0, started: 0 };
  let nextId = 1;
  let closed = false;
  let readyWaiters: Array<() => void> = [];

  function spawn(): Slot {
    const worker = new Worker(WORKER_ENTRY, { workerData, resourceLimits });
    counts.started += 1;
    const slot: Slot = { worker, ready: false };
    worker.on('message', (m: WorkerMessage) => onMessage(slot, m));
    worker.on('error', (e: Error & { code?: string }) => onDeath(slot, e));
    worker.on('exit', (code) => onDeath(slot, undefined, code));
    return slot;
  }

  function onMessage(slot: Slot, m: WorkerMessage): void {
    if (m.type === 'started') {
      if (slot.job?.id === m.id) watch(slot, slot.job);
      return;
    }
    if (m.type === 'ready') {
      slot.ready = true;
      if (slots.every((s) => s.ready)) {
        for (const w of readyWaiters) w();
        readyWaiters = [];
      }
    } else {
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      settle(slot, m.result);
      if (m.broken || m.wasmBytes > recycleAbove || m.heapBytes > recycleAbove) {
        counts.recycled += 1;
        replace(slot);
      }
    }
    dispatch();
  }

  function onDeath(slot: Slot, error?: Error & { code?: string }, exitCode?: number): void {
    if (slot.retiring || closed) return;
    slot.retiring = true;
    counts.crashed += 1;
    const oom = error?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const why = error ? error.message : `it exited with code ${exitCode}`;
    if (slot.job) settle(slot, fail(oom ? 'memory' : 'script', `the sandbox worker stopped while running the script (${why})`, slot.job.started, oom ? undefined : 'host'));
    replace(slot);
    dispatch();
  }

  function settle(slot: Slot, result: ScriptResult): void {
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job!;
    slot.job = undefined;
    slot.timer = undefined;
    counts.runs += 1;
    job.resolve(result);
  }

  function replace(slot: Slot): void {
    slot.retiring = true;
    void slot.worker.terminate();
    const i = slots.indexOf(slot);
    if (i >= 0 && !closed) slots[i] = spawn();
  }

  /** Workers keep the process alive only while there is work (or a `ready()` waiter). */
  function updateRefs(): void {
    const busy = queue.length > 0 || readyWaiters.length > 0 || slots.some((s) => s.job);
    for (const s of slots) {
      if (busy) s.worker.ref();
      else s.worker.unref();
    }
  }

  function dispatch(): void {
    try {
      assign();
    } finally {
      updateRefs();
    }
  }

  function assign(): void {
    for (const slot of slots) {
      if (!queue.length) return;
      if (!slot.ready || slot.job || slot.retiring) continue;
      const job = queue.shift()!;
      slot.job = job;
      job.started = performance.now();
      slot.timer = setTimeout(() => {
        if (slot.job !== job) return;
        counts.killed += 1;
        settle(slot, fail('script', `the sandbox worker did not start the script within ${startTimeout} ms of receiving it (a busy host); its worker was stopped`, job.started, 'host'));
        replace(slot);
        dispatch();
      }, startTimeout);
      slot.worker.postMessage({ id: job.id, request: job.request } satisfies WorkerRequest);
    }
  }

  /** The worker started the script: from now on it has its deadline plus the margin. */
  function watch(slot: Slot, job: Job): void {
    if (slot.timer) clearTimeout(slot.timer);
    job.started = performance.now();
    const deadline = job.request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      counts.killed += 1;
      settle(slot, fail('timeout', `the script did not finish within its deadline of ${deadline} ms; its worker was stopped`, job.started));
      replace(slot);
      dispatch();
    }, deadline + margin);
  }

  for (let i = 0; i < size; i++) slots.push(spawn());
  updateRefs();

  return {
    run(request) {
      if (closed) return Promise.resolve(fail('script', 'the script pool is closed', undefined, 'host'));
      if (queue.length >= maxQueue) return Promise.resolve(fail('script', `the script pool is busy (${queue.length} scripts waiting); try again later`, undefined, 'host'));
      return new Promise<ScriptResult>((resolve) => {
        queue.push({ id: nextId++, request, resolve });
        dispatch();
      });
    },
    ready() {
      if (slots.every((s) => s.ready)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        readyWaiters.push(resolve);
        updateRefs();
      });
    },
    stats: () => ({
      size: slots.length,
      busy: slots.filter((s) => s.job).length,
      queued: queue.length,
      ...counts,
    }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.resolve(fail('script', 'the script pool was closed before the script ran', undefined, 'host'));
      for (const slot of slots) {
        slot.retiring = true;
        if (slot.job) settle(slot, fail('script', 'the script pool was closed while the script ran', slot.job.started, 'host'));
      }
      await Promise.all(slots.map((s) => s.worker.terminate()));
      for (const w of readyWaiters) w();
    },
  };
}
