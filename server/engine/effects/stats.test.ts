/** The statistics observer's pure parts: histogram slots, the facts a step leaves, p95 from slots. */
import { describe, expect, it } from 'vitest';
import type { InstanceState, PathEntry } from '../../../engine/runtime/index';
import { rangeSegments, summarize } from '../../processes/stats';
import { slotOf, stepFacts } from './stats';

const state = (status: InstanceState['status'], tokens: Array<{ id: string; nodeId: string; since: number }>): InstanceState => ({
  v: 1, status, seq: 9, vars: {}, path: [], tokens: tokens.map((t) => ({ ...t, status: 'waiting' as const })),
});

describe('statistics facts', () => {
  it('puts durations in slots of a factor 2^(1/4)', () => {
    expect(slotOf(0)).toBe(0);
    expect(slotOf(0.5)).toBe(0);
    expect(slotOf(1)).toBe(1);
    for (const ms of [3, 999, 1000, 60_000, 86_400_000]) {
      const s = slotOf(ms);
      expect(ms).toBeGreaterThanOrEqual(2 ** ((s - 1) / 4));
      expect(ms).toBeLessThan(2 ** (s / 4));
    }
  });

  it('times a visit from the token entering (before the step, or in it) to leaving, and the instance from its creation', () => {
    const before = state('running', [{ id: 'k1', nodeId: 'approve', since: 1000 }]);
    const log: PathEntry[] = [
      { at: 5000, ev: 'submit', node: 'approve', tok: 'k1' },
      { at: 5000, ev: 'leave', node: 'approve', tok: 'k1', tr: 't2' },
      { at: 5000, ev: 'enter', node: 'decide', tok: 'k1' },
      { at: 5000, ev: 'leave', node: 'decide', tok: 'k1', tr: 't3' },
      { at: 5000, ev: 'enter', node: 'end', tok: 'k1' },
      { at: 5000, ev: 'end', node: 'end', tok: 'k1' },
      { at: 5000, ev: 'complete', node: 'end' },
    ];
    expect(stepFacts(before, state('completed', []), log, 500, 5000)).toEqual([
      { kind: 'visit', node: 'approve', at: 5000, ms: 4000 },
      { kind: 'visit', node: 'decide', at: 5000, ms: 0 },
      { kind: 'visit', node: 'end', at: 5000, ms: 0 },
      { kind: 'completed', node: '', at: 5000, ms: 4500 },
    ]);
  });

  it('does not count visits cut short by a cancel, and keeps a visit going through a retry', () => {
    const before = state('incident', [{ id: 'k1', nodeId: 'work', since: 1000 }, { id: 'k2', nodeId: 'ask', since: 2000 }]);
    expect(stepFacts(before, state('cancelled', []), [{ at: 9000, ev: 'cancel', by: 'admin' }], 0, 9000)).toEqual([{ kind: 'cancelled', node: '', at: 9000, ms: 9000 }]);
    const retried: PathEntry[] = [{ at: 4000, ev: 'retry', node: 'work', tok: 'k1' }, { at: 4000, ev: 'enter', node: 'work', tok: 'k1' }];
    expect(stepFacts(before, before, retried, 0, 4000)).toEqual([]);
  });

  it('takes p95 as the nearest rank, from the mean of its slot', () => {
    expect(summarize([])).toEqual({ visits: 0, avgMs: null, p95Ms: null });
    const slots = [{ slot: slotOf(1000), n: 19, totalMs: 19_000 }, { slot: slotOf(5000), n: 1, totalMs: 5000 }];
    expect(summarize(slots)).toEqual({ visits: 20, avgMs: 1200, p95Ms: 1000 });
    expect(summarize([{ slot: slotOf(1000), n: 18, totalMs: 18_000 }, { slot: slotOf(5000), n: 2, totalMs: 10_000 }])).toEqual({ visits: 20, avgMs: 1400, p95Ms: 5000 });
  });

  it('reads a range as whole months plus the days and hours at its edges', () => {
    const t = (iso: string) => Date.parse(iso);
    const iso = (x: { grain: string; from: number; to: number }) => `${x.grain} ${new Date(x.from).toISOString().slice(0, 13)} ${new Date(x.to).toISOString().slice(0, 13)}`;
    expect(rangeSegments(t('2026-01-30T22:00Z'), t('2026-03-02T01:00Z')).map(iso)).toEqual([
      'h 2026-01-30T22 2026-01-31T00', 'd 2026-01-31T00 2026-02-01T00', 'm 2026-02-01T00 2026-03-01T00', 'd 2026-03-01T00 2026-03-02T00', 'h 2026-03-02T00 2026-03-02T01',
    ]);
    expect(rangeSegments(t('2026-01-01T00:00Z'), t('2026-03-01T00:00Z')).map(iso)).toEqual(['m 2026-01-01T00 2026-03-01T00']);
    expect(rangeSegments(t('2026-01-05T03:00Z'), t('2026-01-05T09:00Z')).map(iso)).toEqual(['h 2026-01-05T03 2026-01-05T09']);
    expect(rangeSegments(t('2026-01-05T03:00Z'), t('2026-01-09T00:00Z')).map(iso)).toEqual(['h 2026-01-05T03 2026-01-06T00', 'd 2026-01-06T00 2026-01-09T00']);
  });
});
