/**
 * Runs scripts in QuickJS (quickjs-emscripten, synchronous build) in the current thread: a fresh
 * runtime and context per run (nothing survives from one run to the next), a deadline through the
 * interrupt handler, a memory limit, a stack limit of at most 64 KiB, and a WebAssembly memory of
 * our own whose `maximum` is a hard cap on the whole QuickJS heap of this module. The pool runs this
 * in worker threads; `expressions.ts` uses it in-thread for short condition expressions.
 */
import { newQuickJSWASMModule, newVariant, RELEASE_SYNC, shouldInterruptAfterDeadline } from 'quickjs-emscripten';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten';
import type { JsonValue } from '../model/types';
import { checkPatch } from '../runtime/patch';
import {
  DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT_MS, MAX_ERROR_MESSAGE_CHARS, MAX_LOG_LINE_CHARS, MAX_LOG_LINES, MAX_STACK_BYTES, type ScriptError, type ScriptErrorKind, type ScriptInput, type ScriptRequest, type ScriptResult,
} from './contract';
import { DESCRIBE_SOURCE, PRELUDE_FILE, preludeSource } from './prelude';

const PAGE = 64 * 1024;
/** The most JSON text a run may hand back: a patch of at most `MAX_PATCH_BYTES` plus the log lines. */
const MAX_RESULT_CHARS = 1024 * 1024;
/** Default hard cap of one module's WebAssembly memory. */
export const DEFAULT_WASM_MAX_BYTES = 128 * 1024 * 1024;
const WASM_INITIAL_BYTES = 16 * 1024 * 1024;

/** The part of the WebAssembly API used here (the lib settings declare no WebAssembly values). */
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

export interface SandboxOptions {
  /** Hard cap of the WebAssembly memory (rounded to 64 KiB pages; at least 32 MiB). */
  wasmMaxBytes?: number;
}

/** A loaded QuickJS module that runs scripts synchronously. */
export interface Sandbox {
  /** Runs a script and checks its patch. */
  run(request: ScriptRequest): ScriptResult;
  /** Evaluates an expression over `scope` (its variables in scope); throws an Error with the script's message. */
  evaluate(expression: string, scope: Record<string, JsonValue | undefined>, options?: { now?: number; timeoutMs?: number }): unknown;
  /**
   * Compiles without running: an expression (as `evaluate` wraps it) or a script (module or not, as
   * `run` reads it). Returns the syntax error's message, or null when it compiles.
   */
  compile(source: string, kind: 'expression' | 'script'): string | null;
  /** The WebAssembly memory's current size (it grows, never shrinks). */
  wasmBytes(): number;
}

/**
 * Loads a sandbox with its own capped WebAssembly memory.
 *
 * @example
 * const sandbox = await loadSandbox();
 * sandbox.run({ source: 'export default ({ params }) => ({ vars: { n: params.n + 1 } })', input: { ticket: {}, params: { n: 1 }, vars: {} }, now: 0 });
 * // { ok: true, vars: { n: 2 }, dynamicFields: {}, durationMs: 0.4, logs: [] }
 */
export async function loadSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const maxBytes = Math.max(options.wasmMaxBytes ?? DEFAULT_WASM_MAX_BYTES, 2 * WASM_INITIAL_BYTES);
  const memory = new (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly.Memory({ initial: WASM_INITIAL_BYTES / PAGE, maximum: Math.ceil(maxBytes / PAGE) });
  const module = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory: memory }));
  return {
    run: (request) => runScript(module, request),
    evaluate: (expression, scope, opts = {}) => {
      const r = execute(module, {
        source: `({ ${Object.keys(scope).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k)).join(', ')} }) => (\n${expression}\n)`,
        input: scope as unknown as ScriptInput,
        now: opts.now ?? 0,
        timeoutMs: opts.timeoutMs ?? 50,
        filename: 'expression.js',
        module: false,
      });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    },
    compile: (source, kind) => compileOnly(module, kind === 'expression' ? `({ ticket, vars, customer }) => (\n${source}\n)` : source, kind === 'script' && isModule(source)),
    wasmBytes: () => memory.buffer.byteLength,
  };
}

function compileOnly(qjs: QuickJSWASMModule, source: string, module: boolean): string | null {
  const rt = qjs.newRuntime();
  rt.setMemoryLimit(DEFAULT_MEMORY_LIMIT);
  rt.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + 200));
  const ctx = rt.newContext();
  try {
    const r = ctx.evalCode(source, module ? 'script.mjs' : 'script.js', { type: module ? 'module' : 'global', strict: true, compileOnly: true });
    if (r.error) {
      const e = ctx.dump(r.error) as { message?: string; name?: string } | string;
      r.error.dispose();
      return typeof e === 'object' && e ? `${e.name ?? 'Error'}: ${e.message ?? ''}` : String(e);
    }
    r.value.dispose();
    return null;
  } finally {
    ctx.dispose();
    rt.dispose();
  }
}

function runScript(module: QuickJSWASMModule, request: ScriptRequest): ScriptResult {
  const r = execute(module, { ...request, module: isModule(request.source) });
  if (!r.ok) return { ok: false, error: r.error, durationMs: r.durationMs, logs: r.logs };
  const problem = checkPatch(r.value);
  if (problem) return { ok: false, error: { kind: 'invalid-result', message: `the script returned an invalid result: ${problem}` }, durationMs: r.durationMs, logs: r.logs };
  const patch = r.value as { vars?: Record<string, JsonValue>; dynamicFields?: Record<string, JsonValue> };
  return { ok: true, vars: patch.vars ?? {}, dynamicFields: patch.dynamicFields ?? {}, durationMs: r.durationMs, logs: r.logs };
}

/**
 * True when the source is an ES module (a line starts with `import` or `export`).
 *
 * @example
 * isModule('export default () => ({})'); // true
 */
export function isModule(source: string): boolean {
  return /^\s*(export|import)\b/m.test(source);
}

type Outcome = { ok: true; value: unknown; logs: string[] } | { ok: false; error: ScriptError; logs: string[] };
type Executed = Outcome & { durationMs: number };

interface ExecuteRequest extends ScriptRequest {
  module: boolean;
}

function execute(qjs: QuickJSWASMModule, req: ExecuteRequest): Executed {
  const started = performance.now();
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryLimit = req.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT;
  const filename = req.filename ?? 'script.js';
  const rt = qjs.newRuntime();
  rt.setMemoryLimit(memoryLimit);
  rt.setMaxStackSize(Math.min(req.maxStackBytes ?? MAX_STACK_BYTES, MAX_STACK_BYTES));
  const ctx = rt.newContext();
  const handles: QuickJSHandle[] = [];
  const keep = (h: QuickJSHandle) => (handles.push(h), h);
  const done = (r: Outcome): Executed => ({ ...r, durationMs: Math.round((performance.now() - started) * 1000) / 1000 });
  try {
    // The prelude is our own code: the deadline starts after it, so a busy machine cannot make the
    // sandbox itself "fail to load"; the script's own time is what the deadline limits.
    const driver = keep(unwrapOrThrow(ctx.evalCode(preludeSource(req.now), PRELUDE_FILE, { type: 'global' })));
    rt.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + timeoutMs));
    const fail = (error: QuickJSHandle) => done({ ok: false, ...describe(ctx, rt, error, { filename, timeoutMs, memoryLimit }) });

    const evaluated = ctx.evalCode(req.source, filename, { type: req.module ? 'module' : 'global', strict: true });
    if (evaluated.error) return fail(evaluated.error);
    const settledModule = settle(ctx, rt, evaluated.value);
    if ('error' in settledModule) return fail(settledModule.error);
    const exported = keep(settledModule.value);
    const main = req.module ? keep(ctx.getProp(exported, 'default')) : exported;

    const json = keep(ctx.newString(JSON.stringify(req.input)));
    const called = ctx.callFunction(driver, ctx.undefined, main, json);
    if (called.error) return fail(called.error);
    const settled = settle(ctx, rt, called.value);
    if ('error' in settled) return fail(settled.error);
    const text = keep(settled.value);
    // The sandbox wrote this text with the intrinsics it captured; the host still trusts none of it.
    const raw = ctx.typeof(text) === 'string' ? ctx.getString(text) : '';
    if (raw.length > MAX_RESULT_CHARS) {
      return done({ ok: false, error: { kind: 'invalid-result', message: `the script returned an invalid result: it is ${raw.length} characters of JSON, more than ${MAX_RESULT_CHARS}` }, logs: [] });
    }
    const out = JSON.parse(raw) as { logs?: unknown; result?: unknown; invalid?: unknown };
    const logs = boundLogs(out.logs);
    if (out.invalid !== undefined) {
      return done({ ok: false, error: { kind: 'invalid-result', message: `the script returned an invalid result: ${cut(String(out.invalid), MAX_ERROR_MESSAGE_CHARS)}` }, logs });
    }
    return done({ ok: true, value: out.result, logs });
  } finally {
    for (const h of handles.reverse()) if (h.alive) h.dispose();
    ctx.dispose();
    rt.dispose();
  }
}

function unwrapOrThrow(r: ReturnType<QuickJSContext['evalCode']>): QuickJSHandle {
  if (r.error) {
    r.error.dispose();
    throw new Error('sandbox prelude failed to load');
  }
  return r.value;
}

/** Waits for a handle that may be a promise (running the pending jobs); disposes what it replaces. */
function settle(ctx: QuickJSContext, rt: QuickJSRuntime, h: QuickJSHandle): { value: QuickJSHandle } | { error: QuickJSHandle } {
  const first = ctx.getPromiseState(h);
  if (first.type === 'fulfilled' && first.notAPromise) return { value: h };
  if (first.type === 'fulfilled') first.value.dispose();
  if (first.type === 'rejected') first.error.dispose();
  const jobs = rt.executePendingJobs(-1);
  if (jobs.error) {
    h.dispose();
    return { error: jobs.error };
  }
  const state = ctx.getPromiseState(h);
  h.dispose();
  if (state.type === 'fulfilled') return { value: state.value };
  if (state.type === 'rejected') return { error: state.error };
  return { error: ctx.newError({ name: 'Error', message: 'the script returned a promise that never settles (there are no timers or I/O in the sandbox)' }) };
}

interface Described {
  error: ScriptError;
  logs: string[];
}

/** Reads a thrown value inside the sandbox (with a little extra memory and its own short deadline). */
function describe(
  ctx: QuickJSContext, rt: QuickJSRuntime, error: QuickJSHandle,
  o: { filename: string; timeoutMs: number; memoryLimit: number },
): Described {
  rt.setMemoryLimit(o.memoryLimit + 8 * 1024 * 1024);
  rt.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + 100));
  let raw = '';
  const fn = ctx.evalCode(DESCRIBE_SOURCE, PRELUDE_FILE, { type: 'global' });
  if (fn.error) fn.error.dispose();
  else {
    const r = ctx.callFunction(fn.value, ctx.undefined, error);
    fn.value.dispose();
    if (r.error) r.error.dispose();
    else {
      if (ctx.typeof(r.value) === 'string') raw = ctx.getString(r.value);
      r.value.dispose();
    }
  }
  error.dispose();
  const { error: e, logs } = readDescription(raw);
  return { error: classify(e, o.filename, o.timeoutMs), logs };
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}...` : s);

/** At most `MAX_LOG_LINES` strings of at most `MAX_LOG_LINE_CHARS` (plus `...`), whatever came back. */
export function boundLogs(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.slice(0, MAX_LOG_LINES).map((l) => cut(typeof l === 'string' ? l : String(l), MAX_LOG_LINE_CHARS));
}

type Description = { name: string; message: string; stack?: string; code?: string; business?: boolean };

/** The description of a thrown value as the sandbox wrote it, re-checked: strings only, each cut to its cap. */
function readDescription(raw: string): { error: Description; logs: string[] } {
  const unreadable = { error: { name: 'Error', message: 'the script failed and its error cannot be read' }, logs: [] };
  if (!raw || raw.length > MAX_RESULT_CHARS) return unreadable;
  let parsed: { error?: Record<string, unknown>; logs?: unknown };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    return unreadable;
  }
  const d = parsed.error;
  if (typeof d !== 'object' || d === null || typeof d.name !== 'string' || typeof d.message !== 'string') return unreadable;
  const error: Description = { name: cut(d.name, 100), message: cut(d.message, MAX_ERROR_MESSAGE_CHARS) };
  if (typeof d.stack === 'string') error.stack = cut(d.stack, 2000);
  if (d.business === true && typeof d.code === 'string') Object.assign(error, { business: true, code: cut(d.code, 200) });
  return { error, logs: boundLogs(parsed.logs) };
}

function classify(d: Description, filename: string, timeoutMs: number): ScriptError {
  const line = lineOf(d.stack ?? '', filename) ?? lineOf(d.message, filename);
  const at = line !== undefined ? { line } : {};
  if (d.business) return { kind: 'business', code: d.code ?? 'ERROR', message: d.message, ...at };
  let kind: ScriptErrorKind = 'script';
  let message = `${d.name}: ${d.message}`;
  if (d.name === 'InternalError' && d.message === 'interrupted') {
    kind = 'timeout';
    message = `the script ran longer than its deadline of ${timeoutMs} ms and was stopped`;
  } else if (/out of memory|string too long|allocation failed/i.test(d.message)) {
    kind = 'memory';
    message = `the script used more memory than allowed and was stopped (${d.name}: ${d.message})`;
  } else if (/stack overflow|call stack/i.test(d.message)) {
    kind = 'stack';
    message = `the script nested too deeply (recursion or a deep structure) and was stopped (${d.name}: ${d.message})`;
  }
  return { kind, message, ...at };
}

function lineOf(stack: string, filename: string): number | undefined {
  const i = stack.indexOf(`${filename}:`);
  if (i < 0) return undefined;
  const m = /^:(\d+)/.exec(stack.slice(i + filename.length));
  return m ? Number(m[1]) : undefined;
}
