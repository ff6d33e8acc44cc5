import { describe, expect, it } from 'vitest';
import { ACTION_TYPES } from '../../engine/index';
import { fixture, Instance, ticket } from './support';

describe('scenario: every action type passes through applyActions with templates resolved', () => {
  it('emits the actions in order, each resolved against the ticket as the actions before it leave it', () => {
    const process = fixture('actions');
    const used = process.transitions[1]!.actions!.map((a) => a.type);
    expect(new Set(used)).toEqual(new Set(ACTION_TYPES.filter((t) => t !== 'Unsupported')));

    const i = new Instance(process);
    i.start(ticket(), { days: 3, tag: 'urgent' } as never);
    i.submit('decide', ticket({ title: 'Printer', queue: 'Raw', responsible: 'bob' }, { Team: 'Hardware' }));
    const { actions, transition, source } = i.effect('applyActions', 'decide');
    expect({ transition, source }).toEqual({ transition: 'all', source: 'transition' });
    expect(actions).toEqual([
      { type: 'TicketQueueSet', queue: 'Hardware' },
      { type: 'TicketStateSet', state: 'pending reminder', pendingTimeDiff: 3600 },
      { type: 'TicketOwnerSet', owner: 'bob' },
      { type: 'TicketResponsibleSet', responsible: 'bob' },
      { type: 'TicketPrioritySet', priority: '4 high' },
      { type: 'TicketLockSet', lock: 'lock' },
      { type: 'TicketTypeSet', ticketType: 'Incident' },
      { type: 'TicketServiceSet', service: 'IT::Email' },
      { type: 'TicketSLASet', sla: 'Gold' },
      { type: 'TicketTitleSet', title: '[Hardware] Printer' },
      { type: 'TicketCustomerSet', customerUser: 'jdoe', customerId: 'ACME' },
      { type: 'DynamicFieldSet', fields: { Days: 3, Label: '3 days', Tags: ['a', 'urgent'], Cleared: null } },
      { type: 'TicketArticleCreate', subject: 'Moved', body: 'Owner is now bob', channel: 'Internal', visibleForCustomer: false, timeUnits: 5 },
      {
        type: 'TicketCreate', title: 'Follow-up of 2025030310000042', queue: 'Misc', dynamicFields: { Parent: '2025030310000042' },
        article: { subject: 'Follow-up', body: 'See 2025030310000042' }, linkAs: 'child',
      },
      { type: 'SendEmail', to: 'jdoe@example.com', subject: 'Ticket 2025030310000042', body: 'Dear Jane, Every action moved on.' },
      { type: 'ExecuteInvoker', webservice: 'erp', operation: 'notify', params: { id: 42, days: 3 } },
      { type: 'KbArticleInsert', article: 7, subject: 'About [Hardware] Printer', visibleForCustomer: true },
    ]);
    expect(i.state.status).toBe('completed');
  });
});
