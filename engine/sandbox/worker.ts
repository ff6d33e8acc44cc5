/**
 * The body of a sandbox worker thread (node-only): loads one QuickJS module with a capped WebAssembly
 * memory, warms it with one empty run, then runs one script per message (saying when it starts, so
 * the host's watchdog counts from there) and answers with the result and its memory use, so the
 * pool can recycle a worker whose heap has grown. Started by `pool.ts`, never imported directly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ScriptRequest, ScriptResult } from './contract';
import { loadSandbox } from './quickjs';

export interface WorkerRequest {
  id: number;
  request: ScriptRequest;
}

export type WorkerMessage =
  | { type: 'ready' }
  /** Sent just before a script runs: the host's watchdog counts the deadline from here. */
  | { type: 'started'; id: number }
  | { type: 'result'; id: number; result: ScriptResult; wasmBytes: number; heapBytes: number; broken?: boolean };

const port = parentPort!;
const sandbox = await loadSandbox({ wasmMaxBytes: (workerData as { wasmMaxBytes?: number } | undefined)?.wasmMaxBytes });

port.on('message', ({ id, request }: WorkerRequest) => {
  let result: ScriptResult;
  let broken = false;
  port.postMessage({ type: 'started', id } satisfies WorkerMessage);
  try {
    result = sandbox.run(request);
  } catch (e) {
    // The QuickJS module itself failed (e.g. its WebAssembly memory could not grow): answer, then be recycled.
    broken = true;
    const message = `the sandbox failed while running the script: ${(e as Error)?.message ?? String(e)}`;
    result = { ok: false, error: { kind: /memory|OOM/i.test(message) ? 'memory' : 'script', message }, durationMs: 0 };
  }
  const reply: WorkerMessage = { type: 'result', id, result, wasmBytes: sandbox.wasmBytes(), heapBytes: process.memoryUsage().heapUsed, ...(broken ? { broken } : {}) };
  port.postMessage(reply);
});
// A fresh module's first run is slow (compiling and warming QuickJS): do it before taking work, so
// it never counts against a script's deadline.
sandbox.run({ source: 'export default () => ({})', input: { ticket: {}, params: {}, vars: {} }, now: 0, timeoutMs: 60_000 });
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
