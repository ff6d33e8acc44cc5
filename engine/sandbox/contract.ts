/**
 * The script contract, shared by the in-thread sandbox and the worker pool (pure types and defaults).
 *
 * A script is an ES module whose default export is a function, or plain source whose value is a
 * function; it gets a frozen deep copy of `{ ticket, params, vars }` (JSON only, no host objects) and
 * returns a patch (or a promise of one; `undefined` means no change):
 *
 *     export default ({ ticket, params, vars }) => ({
 *       vars: { days: params.days + 1 },
 *       dynamicFields: { LeaveDays: params.days + 1 },
 *     });
 *
 * A business error, which boundary error events catch by code:
 *
 *     throw new BusinessError('NO_BUDGET', 'The budget of the cost centre is used up.');
 *
 * Inside: no network, no timers, no modules (`import` fails), no host objects; `Date.now()` and
 * `new Date()` give the injected clock; `Math.random()` is seeded from it (so a run is repeatable);
 * `console.log` lines are collected (at most 50) and returned with the result. Limits: a deadline
 * (default 1 s), a memory limit (default 32 MiB) and a stack of at most 64 KiB.
 */
import type { JsonValue } from '../model/types';

export type ScriptErrorKind = 'script' | 'timeout' | 'memory' | 'stack' | 'business' | 'invalid-result';

export interface ScriptInput {
  ticket: JsonValue;
  params: Record<string, JsonValue>;
  vars: Record<string, JsonValue>;
}

export interface ScriptRequest {
  /** The script source (module or function source). */
  source: string;
  input: ScriptInput;
  /** The injected clock: what `Date.now()` returns inside (ms since the epoch). */
  now: number;
  /** Deadline in ms (default 1000). */
  timeoutMs?: number;
  /** QuickJS heap limit in bytes (default 32 MiB). */
  memoryLimitBytes?: number;
  /** Stack limit in bytes (default and maximum 64 KiB). */
  maxStackBytes?: number;
  /** The name used in messages (default `script.js`). */
  filename?: string;
}

export interface ScriptError {
  kind: ScriptErrorKind;
  /** The business error code (kind `business`). */
  code?: string;
  /** The script's own message, e.g. `TypeError: cannot read property 'x' of undefined`. */
  message: string;
  /** Line in the script source, when known. */
  line?: number;
  /**
   * True when the host failed the run, not the script: its worker never started it in time, died
   * on its own, or the pool was closed or full. Running it again may well succeed.
   */
  host?: true;
}

export type ScriptResult =
  | {
      ok: true;
      vars: Record<string, JsonValue>;
      dynamicFields: Record<string, JsonValue>;
      durationMs: number;
      logs?: string[];
    }
  | { ok: false; error: ScriptError; durationMs: number; logs?: string[] };

export const DEFAULT_TIMEOUT_MS = 1000;
export const DEFAULT_MEMORY_LIMIT = 32 * 1024 * 1024;
export const MAX_STACK_BYTES = 64 * 1024;
export const MAX_LOG_LINES = 50;
/** Characters kept of one log line (longer ones end in `...`). */
export const MAX_LOG_LINE_CHARS = 500;
/** Characters kept of a thrown error's message (its name: 100, a business code: 200). */
export const MAX_ERROR_MESSAGE_CHARS = 1000;
