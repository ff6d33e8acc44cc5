import { describe, expect, it } from 'vitest';
import { fixture, Instance, ticket } from './support';

describe('scenario: a condition that cannot be evaluated', () => {
  it('stops the token with a CONDITION_ERROR incident naming the transition and the value, never a silent skip or the default', () => {
    const i = new Instance(fixture('condition-error'));
    i.start(ticket({}, { Amount: 'twelve hundred' }));
    expect(i.state.status).toBe('incident');
    expect(i.where()).toEqual(['check!CONDITION_ERROR']);
    const incident = i.effect('incident', 'check');
    expect(incident.message).toBe('The condition of transition "expensive" cannot be evaluated: DynamicField_Amount is "twelve hundred", which is not a number to compare with 1000.');
    expect(i.state.tokens[0]!.incident).toMatchObject({ code: 'CONDITION_ERROR', phase: 'leave' });
    expect(i.taken()).toEqual(['t0']);
  });

  it('when the field is fixed, a retry moves the token on and the incident is resolved', () => {
    const i = new Instance(fixture('condition-error'));
    i.start(ticket({}, { Amount: 'twelve hundred' }));
    i.send({ type: 'retry', tokenId: 'k1', by: 'admin', snapshot: ticket({}, { Amount: 1200 }) });
    expect(i.where()).toEqual(['approval/dialog']);
    expect(i.state.status).toBe('running');
    expect(i.effectTypes()).toEqual(['incidentResolved:check', 'openUserTask:approval']);
    expect(i.last.log.find((e) => e.ev === 'retry')).toMatchObject({ by: 'admin', code: 'CONDITION_ERROR' });
  });

  it('a ticket change that fixes the field also moves the stuck token on', () => {
    const i = new Instance(fixture('condition-error'));
    i.start(ticket({}, { Amount: 'twelve hundred' }));
    i.send({ type: 'ticketChanged', snapshot: ticket({}, { Amount: 10 }) });
    expect(i.state.status).toBe('completed');
    expect(i.taken()).toEqual(['t0', 'cheap']);
  });
});
