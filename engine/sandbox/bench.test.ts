import { describe, expect, it } from 'vitest';
import { measureScriptLatency } from './bench';

describe('measureScriptLatency', () => {
  it('counts every run of a failing script as a failure, and none of a working one', async () => {
    const failing = await measureScriptLatency({ runs: 10, warmup: 0, source: 'export default () => { throw new Error("no") }' });
    expect(failing).toMatchObject({ runs: 10, failures: 10 });
    const working = await measureScriptLatency({ runs: 30, warmup: 5 });
    expect(working).toMatchObject({ runs: 30, failures: 0 });
    expect(working.p50Ms).toBeLessThanOrEqual(working.p95Ms);
    expect(working.p95Ms).toBeLessThanOrEqual(working.p99Ms);
  });
});
