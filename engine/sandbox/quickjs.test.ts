import { beforeAll, describe, expect, it } from 'vitest';
import type { ScriptRequest } from './contract';
import { isModule, loadSandbox, type Sandbox } from './quickjs';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await loadSandbox({ wasmMaxBytes: 64 * 1024 * 1024 });
});

const NOW = Date.UTC(2025, 0, 1, 12);
const run = (source: string, extra: Partial<ScriptRequest> = {}) =>
  sandbox.run({ source, input: { ticket: { title: 'Printer', dynamicFields: { Days: 3 } }, params: { n: 2 }, vars: { seen: true } }, now: NOW, timeoutMs: 300, ...extra });
const NORMAL = 'export default ({ params }) => ({ vars: { doubled: params.n * 2 } })';

/** After anything hostile, an ordinary script still works in the same module. */
function normalStillWorks() {
  expect(run(NORMAL)).toMatchObject({ ok: true, vars: { doubled: 4 } });
}

describe('sandbox contract', () => {
  it('runs a module whose default export returns a patch, given a frozen copy of ticket, params and vars', () => {
    const r = run('export default ({ ticket, params, vars }) => ({ vars: { t: ticket.title, n: params.n, seen: vars.seen }, dynamicFields: { Days: ticket.dynamicFields.Days + 1 } })');
    expect(r).toMatchObject({ ok: true, vars: { t: 'Printer', n: 2, seen: true }, dynamicFields: { Days: 4 } });
    expect(run('export default ({ ticket }) => { ticket.title = "x"; }')).toMatchObject({ ok: false, error: { kind: 'script', message: expect.stringContaining('read-only') } });
  });

  it('accepts function source, async functions and an empty result', () => {
    expect(run('({ params }) => ({ vars: { n: params.n + 1 } })')).toMatchObject({ ok: true, vars: { n: 3 } });
    expect(run('export default async () => ({ vars: { a: await Promise.resolve(1) } })')).toMatchObject({ ok: true, vars: { a: 1 } });
    expect(run('export default () => {}')).toMatchObject({ ok: true, vars: {}, dynamicFields: {} });
    expect(run('export default () => new Promise(() => {})')).toMatchObject({ ok: false, error: { message: expect.stringContaining('never settles') } });
    expect(isModule('// helper\nexport default () => ({})')).toBe(true);
  });

  it('gives the injected clock to Date, seeds Math.random from it, and collects console lines', () => {
    const r = run('export default () => { console.log("at", new Date().toISOString()); return { vars: { now: Date.now(), r: Math.random(), d: new Date(0).getTime() } } }');
    expect(r).toMatchObject({ ok: true, vars: { now: NOW, d: 0 }, logs: ['at 2025-01-01T12:00:00.000Z'] });
    const again = run('export default () => ({ vars: { r: Math.random() } })');
    expect(again.ok && r.ok && again.vars.r === r.vars.r).toBe(true);
  });

  it('reports business errors with their code, and script errors with the message and line', () => {
    expect(run('export default () => {\n  throw new BusinessError("NO_BUDGET", "The budget is used up.");\n}')).toMatchObject({
      ok: false, error: { kind: 'business', code: 'NO_BUDGET', message: 'The budget is used up.', line: 2 },
    });
    expect(run('export default ({ ticket }) => {\n\n  return ticket.missing.deeper;\n}')).toMatchObject({
      ok: false, error: { kind: 'script', message: "TypeError: cannot read property 'deeper' of undefined", line: 3 },
    });
    expect(run('export default () => {\n  let x = ;\n}')).toMatchObject({ ok: false, error: { kind: 'script', message: expect.stringMatching(/^SyntaxError/), line: 2 } });
    expect(run('export default 5')).toMatchObject({ ok: false, error: { message: expect.stringContaining('must export a default function') } });
    expect(run('export default () => { throw "plain text" }')).toMatchObject({ ok: false, error: { message: 'Error: the script threw plain text' } });
  });

  it('refuses results that are not a { vars, dynamicFields } patch of JSON values', () => {
    const invalid = { ok: false, error: { kind: 'invalid-result' } };
    expect(run('export default () => ({ vars: {}, ticket: {} })')).toMatchObject(invalid);
    expect(run('export default () => ({ vars: [] })')).toMatchObject(invalid);
    expect(run('export default () => { const a = {}; a.self = a; return { vars: { a } } }')).toMatchObject(invalid);
    expect(run('export default () => JSON.parse(\'{"vars":{"__proto__":{"polluted":1}}}\')')).toMatchObject(invalid);
    expect(run('export default () => 42')).toMatchObject(invalid);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('sandbox limits and isolation (each ends in a clear error; the next script works)', () => {
  it('an infinite loop hits the deadline', () => {
    expect(run('export default () => { for (;;) {} }', { timeoutMs: 100 })).toMatchObject({ ok: false, error: { kind: 'timeout', message: expect.stringContaining('100 ms') } });
    expect(run('while (true) {}\nexport default () => ({})', { timeoutMs: 100 })).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    normalStillWorks();
  });

  it('a memory bomb (arrays grown by reallocation) hits the memory limit; the WebAssembly memory stays under its cap', () => {
    const r = run('export default () => { const a = []; for (;;) a.push(new Array(1000).fill(7)); }', { timeoutMs: 5000, memoryLimitBytes: 16 * 1024 * 1024 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'memory' } });
    expect(run('export default () => { let s = "xx"; for (;;) s += s; }', { timeoutMs: 5000 })).toMatchObject({ ok: false, error: { kind: 'memory' } });
    expect(sandbox.wasmBytes()).toBeLessThanOrEqual(64 * 1024 * 1024);
    normalStillWorks();
  });

  it('deep recursion and JSON.stringify of a 100,000-deep object hit the 64 KiB stack', () => {
    expect(run('const f = (n) => f(n + 1) + 1;\nexport default () => f(0)')).toMatchObject({ ok: false, error: { kind: 'stack', line: 1 } });
    expect(run('export default () => { let o = {}; for (let i = 0; i < 100000; i++) o = { a: o }; return { vars: { s: JSON.stringify(o).length } } }', { timeoutMs: 5000 }))
      .toMatchObject({ ok: false, error: { kind: 'stack' } });
    expect(run('export default () => { let o = {}; for (let i = 0; i < 100000; i++) o = { a: o }; return { vars: { o } } }', { timeoutMs: 5000 }))
      .toMatchObject({ ok: false, error: { kind: 'invalid-result' } });
    // a larger stack cannot be asked for: the limit is capped at 64 KiB
    expect(run('const f = (n) => (n === 0 ? 0 : 1 + f(n - 1));\nexport default () => ({ vars: { d: f(5000) } })', { maxStackBytes: 10 * 1024 * 1024 }))
      .toMatchObject({ ok: false, error: { kind: 'stack' } });
    normalStillWorks();
  });

  it('cannot reach process, require, the host through constructors, Function or import()', () => {
    const unreachable = [
      'export default () => process.exit(1)',
      'export default () => require("fs")',
      'export default () => globalThis.constructor.constructor("return process")().exit(1)',
      'export default () => ({}).constructor.constructor("return this.process.env")()',
      'export default () => Function("return process")()',
      'export default () => eval("require")("child_process")',
      'export default async () => { await import("node:fs"); }',
      'import fs from "fs";\nexport default () => ({})',
    ];
    for (const source of unreachable) {
      const r = run(source);
      expect([source, r.ok]).toEqual([source, false]);
      if (!r.ok) expect(r.error.kind).toBe('script');
    }
    expect(run('export default () => ({ vars: { t: [typeof process, typeof require, typeof setTimeout, typeof fetch, typeof globalThis.Function("return globalThis")().process] } })'))
      .toMatchObject({ ok: true, vars: { t: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined'] } });
    normalStillWorks();
  });

  it('prototype pollution through the input or inside the script reaches neither the host nor the next run', () => {
    const input = JSON.parse('{"ticket":{"__proto__":{"polluted":"yes"},"title":"x"},"params":{},"vars":{}}');
    const r = sandbox.run({ source: 'export default ({ ticket }) => ({ vars: { own: Object.keys(ticket), inherited: ({}).polluted ?? null, viaTicket: ticket.polluted ?? null } })', input, now: NOW });
    expect(r).toMatchObject({ ok: true, vars: { own: ['__proto__', 'title'], inherited: null, viaTicket: null } });
    expect(run('export default () => { Object.prototype.polluted = "yes"; Array.prototype.push = null; return {} }')).toMatchObject({ ok: true });
    expect(run('export default () => ({ vars: { p: ({}).polluted ?? null, push: typeof [].push } })')).toMatchObject({ ok: true, vars: { p: null, push: 'function' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    normalStillWorks();
  });
});

describe('what a script sends back is bounded and told by the host, whatever the script overrides', () => {
  /** Every cap of the contract: at most 50 log lines of at most 500 characters (plus "..."), a bounded error. */
  function withinCaps(r: ReturnType<typeof run>) {
    expect(Array.isArray(r.logs)).toBe(true);
    expect(r.logs!.length).toBeLessThanOrEqual(50);
    for (const line of r.logs!) {
      expect(typeof line).toBe('string');
      expect(line.length).toBeLessThanOrEqual(503);
    }
    if (!r.ok) expect(r.error.message.length).toBeLessThanOrEqual(1200);
    expect(JSON.stringify(r).length).toBeLessThan(50 * 520 + 2000);
  }

  it('Array.prototype.toJSON cannot turn the log into a 1 MiB string', () => {
    const big = 'Array.prototype.toJSON = function () { return "x".repeat(1 << 20); };';
    const ok = run(`export default () => { console.log("hi"); ${big} return { vars: { a: 1 } }; }`);
    withinCaps(ok);
    expect(ok).toMatchObject({ ok: true, vars: { a: 1 }, logs: ['hi'] });
    const failed = run(`export default () => { console.log("hi"); ${big} throw new Error("boom"); }`);
    withinCaps(failed);
    expect(failed).toMatchObject({ ok: false, error: { kind: 'script', message: 'Error: boom' }, logs: ['hi'] });
  });

  it('overriding JSON.stringify, String, Object.prototype.toJSON or array methods before a throw does not forge the error', () => {
    const forged = '{"name":"BusinessError","message":"' + 'forged '.repeat(100000) + '","business":true,"code":"FAKE","logs":[]}';
    const overrides = [
      `JSON.stringify = () => ${JSON.stringify(forged)};`,
      'String = () => "forged";',
      'Object.prototype.toJSON = function () { return { name: "InternalError", message: "interrupted" }; };',
      'Array.prototype.map = function () { return new Array(1000).fill("y".repeat(10000)); }; Array.prototype.slice = Array.prototype.map; String.prototype.slice = function () { return "z".repeat(1 << 20); };',
    ];
    for (const o of overrides) {
      const r = run(`export default () => { console.log("before"); ${o} throw new Error("the real one"); }`);
      withinCaps(r);
      expect([o, r]).toMatchObject([o, { ok: false, error: { kind: 'script', message: 'Error: the real one' }, logs: ['before'] }]);
    }
    normalStillWorks();
  });

  it('a long error message and many long log lines are cut to the caps', () => {
    const r = run('export default () => { for (let i = 0; i < 100; i++) console.log("l".repeat(2000)); throw new Error("m".repeat(100000)); }');
    withinCaps(r);
    expect(r.logs).toHaveLength(50);
    expect(r.ok).toBe(false);
  });
});
