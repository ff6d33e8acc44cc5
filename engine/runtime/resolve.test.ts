import { describe, expect, it } from 'vitest';
import type { Snapshot } from './snapshot';
import { overlayAction, resolveAction, resolveValue } from './resolve';

describe('templates at run time', () => {
  it('keeps the type of a lone reference in typed values and renders text elsewhere', () => {
    const ctx = { vars: { n: 3, list: ['a'] }, ticket: { title: 'T' } };
    expect(resolveValue({ a: '{{vars.n}}', b: 'n={{vars.n}}', c: ['{{vars.list}}'], d: 5, e: '{{vars.none}}' }, ctx, true))
      .toEqual({ a: 3, b: 'n=3', c: [['a']], d: 5, e: null });
    expect(resolveAction({ type: 'TicketTitleSet', title: '{{vars.n}}' }, ctx)).toEqual({ type: 'TicketTitleSet', title: '3' });
  });

  it('predicts what setter actions do to the ticket, so later conditions in the chain see it', () => {
    const s: Snapshot = { ticket: { queue: 'Raw', state: 'new', stateType: 'new', dynamicFields: { A: 1 } } };
    overlayAction(s, { type: 'TicketQueueSet', queue: 'HR' }, 0);
    overlayAction(s, { type: 'TicketStateSet', state: 'pending reminder', pendingTimeDiff: 60 }, Date.UTC(2025, 0, 1));
    overlayAction(s, { type: 'DynamicFieldSet', fields: { B: 'x' } }, 0);
    overlayAction(s, { type: 'SendEmail', to: 'a@b.c', template: 't' }, 0);
    expect(s.ticket).toEqual({ queue: 'HR', state: 'pending reminder', pendingTime: '2025-01-01T00:01:00.000Z', dynamicFields: { A: 1, B: 'x' } });
  });
});
