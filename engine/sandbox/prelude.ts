/**
 * The code that runs inside every fresh QuickJS context before the script: the injected clock
 * (`Date`), a seeded `Math.random`, `console` collecting lines, `BusinessError`, and a driver that
 * deep-freezes the input, calls the script and writes its result as JSON. It evaluates to one function
 * the host keeps a handle to; the script cannot reach the host through it, and what the script
 * changes only lives until the context is disposed. Reading a thrown value (`DESCRIBE_SOURCE`) is
 * compiled only when a run fails, to keep the common path short.
 */
import { MAX_ERROR_MESSAGE_CHARS, MAX_LOG_LINE_CHARS, MAX_LOG_LINES } from './contract';

/**
 * Evaluated only after a failure: a function that reads a thrown value into JSON text (name, message,
 * a cut stack, a business error's code, the collected log lines) without trusting its shape. It
 * works only with the intrinsics the prelude captured before the script ran (`__sandbox`, a frozen,
 * non-configurable global), so a script that replaced `JSON.stringify`, `String` or a prototype
 * method cannot shape the answer; the host checks every cap again anyway.
 */
export const DESCRIBE_SOURCE = `(e) => {
  'use strict';
  const { S, stringify, cut, logsJson, create } = __sandbox;
  const d = create(null);
  d.name = 'Error';
  d.message = '';
  try {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      d.name = S(e.name === undefined ? 'Error' : e.name);
      d.message = S(e.message === undefined ? '' : e.message);
      d.stack = cut(S(e.stack === undefined ? '' : e.stack), 2000);
      if (d.name === 'BusinessError' && e.code !== undefined) { d.business = true; d.code = cut(S(e.code), 200); }
    } else {
      d.message = 'the script threw ' + cut(S(e), 200);
    }
  } catch (_) {
    d.message = 'the script threw a value that cannot be read';
  }
  d.name = cut(d.name, 100);
  d.message = cut(d.message, ${MAX_ERROR_MESSAGE_CHARS});
  let logs = '[]';
  try { logs = logsJson(); } catch (_) { /* none then */ }
  return '{"error":' + stringify(d) + ',"logs":' + logs + '}';
}`;

/** The file name prelude frames carry in stacks (never the script's). */
export const PRELUDE_FILE = 'sandbox-prelude.js';

/**
 * The prelude source for a clock reading.
 *
 * @example
 * context.evalCode(preludeSource(Date.UTC(2025, 0, 1)), PRELUDE_FILE, { type: 'global' }); // → the driver
 */
export function preludeSource(now: number): string {
  return `(() => {
  'use strict';
  const NOW = ${Number.isFinite(now) ? Math.trunc(now) : 0};
  const RealDate = Date, StringFn = String, freeze = Object.freeze, isFrozen = Object.isFrozen, keys = Object.keys;
  const stringify = JSON.stringify, parse = JSON.parse, apply = Reflect.apply, sliceText = String.prototype.slice, create = Object.create;
  function SandboxDate(...args) {
    if (!new.target) return new RealDate(NOW).toString();
    return args.length === 0 ? new RealDate(NOW) : new RealDate(...args);
  }
  SandboxDate.prototype = RealDate.prototype;
  SandboxDate.now = () => NOW;
  SandboxDate.parse = RealDate.parse;
  SandboxDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: SandboxDate, writable: true, configurable: true });
  globalThis.Date = SandboxDate;
  let seed = (NOW % 2147483647) || 1;
  Math.random = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
  // Only captured intrinsics from here on: the script may replace any global or prototype method.
  const logs = [];
  const cut = (s, n) => (s.length > n ? apply(sliceText, s, [0, n]) + '...' : s);
  const text = (a) => { try { return typeof a === 'string' ? a : StringFn(stringify(a)); } catch (_) { return '[unprintable]'; } };
  const log = (...args) => {
    if (logs.length >= ${MAX_LOG_LINES}) return;
    let line = '';
    for (let i = 0; i < args.length; i++) line += (i ? ' ' : '') + text(args[i]);
    logs[logs.length] = cut(line, ${MAX_LOG_LINE_CHARS});
  };
  // The log as JSON text built by hand: stringify of an array would call a script's Array.prototype.toJSON.
  const logsJson = () => {
    let out = '[';
    for (let i = 0; i < logs.length && i < ${MAX_LOG_LINES}; i++) out += (i ? ',' : '') + stringify(cut(StringFn(logs[i]), ${MAX_LOG_LINE_CHARS}));
    return out + ']';
  };
  globalThis.console = { log, info: log, warn: log, error: log, debug: log };
  Object.defineProperty(globalThis, '__sandbox', { value: freeze({ S: StringFn, stringify, cut, logsJson, create }) });
  class BusinessError extends Error {
    constructor(code, message) {
      super(message === undefined ? StringFn(code) : StringFn(message));
      this.name = 'BusinessError';
      this.code = StringFn(code);
    }
  }
  globalThis.BusinessError = BusinessError;
  const deepFreeze = (root) => {
    const stack = [root];
    while (stack.length) {
      const v = stack.pop();
      if (v !== null && typeof v === 'object' && !isFrozen(v)) { freeze(v); for (const k of keys(v)) stack.push(v[k]); }
    }
    return root;
  };
  const finish = (out) => {
    let json;
    try { json = stringify(out === undefined ? {} : out); }
    catch (e) { return '{"logs":' + logsJson() + ',"invalid":' + stringify('it cannot be written as JSON (' + cut(text(e && e.message), 500) + ')') + '}'; }
    if (json === undefined) return '{"logs":' + logsJson() + ',"invalid":"it is not an object"}';
    return '{"logs":' + logsJson() + ',"result":' + json + '}';
  };
  return (main, json) => {
    if (typeof main !== 'function') {
      throw new TypeError('the script must export a default function, e.g. export default ({ ticket, params, vars }) => ({ vars: {} })');
    }
    const out = main(deepFreeze(parse(json)));
    if (out !== null && typeof out === 'object' && typeof out.then === 'function') return out.then(finish);
    return finish(out);
  };
})()`;
}
