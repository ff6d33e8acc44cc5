import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScriptRequest } from './contract';
import { createScriptPool, type ScriptPool } from './pool';

let pool: ScriptPool;
beforeAll(async () => {
  pool = createScriptPool({ size: 2, killMarginMs: 50, wasmMaxBytes: 96 * 1024 * 1024, recycleAboveBytes: 40 * 1024 * 1024 });
  await pool.ready();
});
afterAll(async () => {
  await pool.close();
});

const request = (source: string, extra: Partial<ScriptRequest> = {}): ScriptRequest => ({
  source, input: { ticket: { title: 'T' }, params: { n: 1 }, vars: {} }, now: 0, timeoutMs: 300, ...extra,
});
const NORMAL = request('export default ({ params }) => ({ vars: { n: params.n + 1 } })');

describe('script pool', () => {
  it('runs scripts in worker threads, many at once, in order of arrival', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.run(request(`export default () => ({ vars: { i: ${i} } })`))));
    expect(results.map((r) => (r.ok ? r.vars.i : r.error.message))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(pool.stats()).toMatchObject({ size: 2, busy: 0, queued: 0 });
  });

  it('each hostile script ends in a clear error and the next script runs normally', async () => {
    const hostile: Array<[string, string, Partial<ScriptRequest>?]> = [
      ['timeout', 'export default () => { for (;;) {} }'],
      ['memory', 'export default () => { const a = []; for (;;) a.push(new Array(1000).fill(7)); }', { timeoutMs: 5000 }],
      ['stack', 'const f = (n) => f(n + 1);\nexport default () => f(0)'],
      ['stack', 'export default () => { let o = {}; for (let i = 0; i < 100000; i++) o = { a: o }; JSON.stringify(o); }', { timeoutMs: 5000 }],
      ['script', 'export default () => this.constructor.constructor("return process")().exit(1)'],
      ['script', 'export default () => globalThis.constructor.constructor("return process")().exit(1)'],
      ['script', 'export default () => require("child_process").execSync("id")'],
      ['script', 'export default async () => (await import("node:fs")).readFileSync("/etc/passwd")'],
      ['script', 'export default () => Function("return process")().kill(process.pid)'],
    ];
    for (const [kind, source, extra] of hostile) {
      const r = await pool.run(request(source, extra));
      expect([source, r.ok ? 'ok' : r.error.kind]).toEqual([source, kind]);
      expect(await pool.run(NORMAL)).toMatchObject({ ok: true, vars: { n: 2 } });
    }
  });

  it('recycles a worker whose memory grew past the threshold', async () => {
    const before = pool.stats().recycled;
    const r = await pool.run(request('export default () => { const a = []; for (;;) a.push(new Array(1000).fill(7)); }', { timeoutMs: 5000 }));
    expect(r).toMatchObject({ ok: false, error: { kind: 'memory' } });
    expect(pool.stats().recycled).toBeGreaterThan(before);
    expect(await pool.run(NORMAL)).toMatchObject({ ok: true });
  });

  it('kills a worker stuck in a long native call the interrupt handler cannot reach, and replaces it', async () => {
    const before = pool.stats();
    const stuck = pool.run(request('export default () => { new Array(4e6).fill("ab").join(","); return {} }', { timeoutMs: 10 }));
    const neighbour = pool.run(NORMAL);
    const r = await stuck;
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout', message: expect.stringContaining('its worker was stopped') } });
    expect(await neighbour).toMatchObject({ ok: true });
    expect(pool.stats().killed).toBe(before.killed + 1);
    expect(pool.stats().started).toBe(before.started + 1);
    expect(await pool.run(NORMAL)).toMatchObject({ ok: true });
  });

  it('prototype pollution in one run does not leak into the next run on the same worker', async () => {
    const single = createScriptPool({ size: 1 });
    try {
      expect(await single.run(request('export default () => { Object.prototype.polluted = 1; JSON.parse = () => ({}); return {} }'))).toMatchObject({ ok: true });
      expect(await single.run(request('export default () => ({ vars: { p: ({}).polluted ?? null, j: JSON.parse("[1]") } })'))).toMatchObject({ ok: true, vars: { p: null, j: [1] } });
    } finally {
      await single.close();
    }
  });

  it('counts the deadline from when the script starts in its worker, not from the hand-off', async () => {
    const single = createScriptPool({ size: 1, killMarginMs: 50 });
    await single.ready();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // The host is busy (its clock moves past deadline + margin) before the worker got to the script.
      const r = single.run(request('export default () => ({ vars: { a: 1 } })', { timeoutMs: 100 }));
      vi.advanceTimersByTime(1_000);
      expect(await r).toMatchObject({ ok: true, vars: { a: 1 } });
      expect(single.stats()).toMatchObject({ killed: 0, started: 1 });
    } finally {
      vi.useRealTimers();
      await single.close();
    }
  });

  it('stops a worker that never starts a script it was handed, as a failure of the host (worth a retry), not of the script', async () => {
    const single = createScriptPool({ size: 1, killMarginMs: 50, startTimeoutMs: 5_000 });
    await single.ready();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const r = single.run(NORMAL);
      vi.advanceTimersByTime(5_001);
      expect(await r).toMatchObject({ ok: false, error: { kind: 'script', host: true, message: expect.stringContaining('did not start the script within 5000 ms') } });
    } finally {
      vi.useRealTimers();
    }
    try {
      expect(await single.run(NORMAL)).toMatchObject({ ok: true, vars: { n: 2 } });
      expect(single.stats()).toMatchObject({ started: 2 });
    } finally {
      await single.close();
    }
  });

  it('a script over its own deadline is its fault; a closed pool is the fault of the host', async () => {
    const r = await pool.run(request('export default () => { for (;;) {} }'));
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(r.ok ? undefined : r.error.host).toBeUndefined();
    const p = createScriptPool({ size: 1 });
    const pending = p.run(NORMAL);
    await p.close();
    expect(await pending).toMatchObject({ ok: false, error: { host: true } });
  });

  it('fails queued work clearly when closed', async () => {
    const p = createScriptPool({ size: 1 });
    const pending = p.run(NORMAL);
    await p.close();
    expect(await pending).toMatchObject({ ok: false, error: { message: expect.stringContaining('closed') } });
    expect(await p.run(NORMAL)).toMatchObject({ ok: false, error: { message: 'the script pool is closed' } });
  });
});
