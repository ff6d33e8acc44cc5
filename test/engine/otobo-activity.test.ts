import { describe, expect, it } from 'vitest';
import { fixture, Instance, ticket } from './support';

function waiting() {
  const i = new Instance(fixture('otobo-activity'));
  i.start(ticket());
  return i;
}

describe('scenario: an OTOBO-style activity with three conditional transitions', () => {
  it('given the decision "approve", the first transition is taken with its action', () => {
    const i = waiting();
    i.submit('approve', ticket({}, { Decision: 'approve' }));
    expect(i.state.status).toBe('completed');
    expect(i.taken()).toEqual(['t0', 'yes']);
    expect(i.effect('applyActions')).toMatchObject({ transition: 'yes', actions: [{ type: 'TicketStateSet', state: 'closed successful' }] });
  });

  it('given "reject", the second; given an amount over 1000 (exactly one of the xor), the third', () => {
    const r = waiting();
    r.submit('approve', ticket({}, { Decision: 'reject' }));
    expect(r.taken()).toEqual(['t0', 'no']);

    const a = waiting();
    a.submit('approve', ticket({}, { Decision: 'later', Amount: '1500' }));
    expect(a.where()).toEqual(['clarify/dialog']);
    expect(a.last.log.find((e) => e.tr === 'ask')?.why).toBe('only DynamicField_Amount gt 1000 (was "1500")');
    expect(a.effect('openUserTask', 'clarify').interfaces).toEqual(['customer']);
  });

  it('when no condition holds after a submit, the ticket stays in the activity with a visible incident and the dialog stays open', () => {
    const i = waiting();
    i.submit('approve', ticket({}, { Decision: 'ask', Amount: 5000 }));
    expect(i.state.status).toBe('incident');
    expect(i.where()).toEqual(['approve!NO_TRANSITION']);
    const incident = i.effect('incident', 'approve');
    expect(incident.message).toContain('No transition out of "approve" holds');
    expect(incident.message).toContain('ask: 2 of 2 held, exactly one needed');
    expect(i.last.effects.some((e) => e.type === 'closeUserTask')).toBe(false);

    // a new submit with a decision moves it on and resolves the incident
    i.submit('approve', ticket({}, { Decision: 'reject' }));
    expect(i.state.status).toBe('completed');
    expect(i.effectTypes()).toEqual(['closeUserTask:approve', 'incidentResolved:approve', 'applyActions:approve', 'complete:rejected']);
  });

  it('when the ticket changes outside the dialog so that a condition holds, the activity is left (Znuny TicketProcessTransitions)', () => {
    const i = waiting();
    i.send({ type: 'ticketChanged', snapshot: ticket({}, { Decision: 'nothing yet' }) });
    expect(i.where()).toEqual(['approve/dialog']);
    expect(i.last.effects).toEqual([]);

    i.send({ type: 'ticketChanged', snapshot: ticket({}, { Decision: 'approve' }), by: 'carol' });
    expect(i.state.status).toBe('completed');
    expect(i.effect('closeUserTask', 'approve')).toMatchObject({ reason: 'ticketChanged', by: 'carol' });
  });
});
