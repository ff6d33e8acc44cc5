/**
 * The body of a sandbox worker thread (node-only): loads one QuickJS module with a capped WebAssembly
 * memory, then runs one script per message and answers with the result and its memory use, so the
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
  | { type: 'result'; id: number; result: ScriptResult; wasmBytes: number; heapBytes: number; broken?: boolean };

const port = parentPort!;
const sandbox = await loadSandbox({ wasmMaxBytes: (workerData as { wasmMaxBytes?: number } | undefined)?.wasmMaxBytes });

port.on('message', ({ id, request }: WorkerRequest) => {
  let result: ScriptResult;
  let broken = false;
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
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
