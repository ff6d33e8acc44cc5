import { describe, expect, it } from 'vitest';
import { measureScriptLatency } from './bench';

describe('measureScriptLatency', () => {
  it('measures percentiles of a trivial script through the pool', async () => {
    const r = await measureScriptLatency({ runs: 100, warmup: 20 });
    expect(r.failures).toBe(0);
    expect(r.runs).toBe(100);
    expect(r.p50Ms).toBeGreaterThan(0);
    expect(r.p95Ms).toBeGreaterThanOrEqual(r.p50Ms);
  });
});
