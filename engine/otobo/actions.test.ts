import { describe, expect, it } from 'vitest';
import { convertAction } from './actions';

const ta = (module: string, config: Record<string, unknown>, name = 'TA') => ({
  EntityID: 'TA1', Name: name, Config: { Module: `Kernel::System::ProcessManagement::TransitionAction::${module}`, Config: config },
});

describe('OTOBO transition actions', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['TicketQueueSet', { Queue: 'Raw' }, { type: 'TicketQueueSet', queue: 'Raw' }],
    ['TicketStateSet', { State: 'pending reminder', PendingTimeDiff: '86400', UserID: '1' }, { type: 'TicketStateSet', state: 'pending reminder', pendingTimeDiff: 86400 }],
    ['TicketOwnerSet', { Owner: 'root@localhost' }, { type: 'TicketOwnerSet', owner: 'root@localhost' }],
    ['TicketResponsibleSet', { Responsible: 'mgr' }, { type: 'TicketResponsibleSet', responsible: 'mgr' }],
    ['TicketPrioritySet', { Priority: '4 high' }, { type: 'TicketPrioritySet', priority: '4 high' }],
    ['TicketLockSet', { Lock: 'unlock' }, { type: 'TicketLockSet', lock: 'unlock' }],
    ['TicketLockSet', { LockID: '2' }, { type: 'TicketLockSet', lock: 'lock' }],
    ['TicketTypeSet', { Type: 'Incident' }, { type: 'TicketTypeSet', ticketType: 'Incident' }],
    ['TicketServiceSet', { Service: 'Mail' }, { type: 'TicketServiceSet', service: 'Mail' }],
    ['TicketSLASet', { SLA: 'Gold' }, { type: 'TicketSLASet', sla: 'Gold' }],
    ['TicketTitleSet', { Title: 'Re: <OTOBO_TICKET_Title>' }, { type: 'TicketTitleSet', title: 'Re: {{ticket.title}}' }],
    ['TicketCustomerSet', { No: 'jdoe', CustomerID: 'ACME' }, { type: 'TicketCustomerSet', customerUser: 'jdoe', customerId: 'ACME' }],
    ['DynamicFieldSet', { Approved: 'yes', Note: '<OTOBO_TICKET_DynamicField_Other_Value>' }, { type: 'DynamicFieldSet', fields: { Approved: 'yes', Note: '{{ticket.dynamicFields.Other}}' } }],
    [
      'TicketArticleCreate',
      { Subject: 'S', Body: 'B <OTOBO_CUSTOMER_DATA_UserFirstname>', CommunicationChannel: 'Email', IsVisibleForCustomer: '1', SenderType: 'System', ContentType: 'text/plain' },
      { type: 'TicketArticleCreate', subject: 'S', body: 'B {{customer.firstName}}', channel: 'Email', visibleForCustomer: true, senderType: 'system', contentType: 'text/plain' },
    ],
    ['TicketArticleCreate', { Body: 'B', ArticleType: 'note-internal' }, { type: 'TicketArticleCreate', body: 'B', channel: 'Internal', visibleForCustomer: false }],
    [
      'TicketCreate',
      { Title: 'T', Queue: 'Raw', Body: 'b', DynamicField_X: '1', LinkAs: 'Child' },
      { type: 'TicketCreate', title: 'T', queue: 'Raw', article: { body: 'b' }, dynamicFields: { X: '1' }, linkAs: 'child' },
    ],
  ])('%s %j', (module, config, expected) => {
    const r = convertAction(ta(module, config));
    expect(r.action).toEqual({ name: 'TA', ...expected });
    expect(r.warnings).toEqual([]);
  });

  it('reads the ids of OTOBO\'s shipped catalogue entries by their names (issue 19, item 10)', () => {
    const r = convertAction(ta('TicketPrioritySet', { PriorityID: '3' }, 'Normal'));
    expect(r.action).toEqual({ type: 'TicketPrioritySet', name: 'Normal', priority: '3 normal' });
    expect(r.warnings).toEqual(['Transition action "Normal" sets PriorityID 3; it now sets Priority "3 normal", the entry OTOBO ships with that id.']);
    expect(convertAction(ta('TicketStateSet', { StateID: '2' })).action).toMatchObject({ type: 'TicketStateSet', state: 'closed successful' });
  });

  it('warns about settings it drops', () => {
    const r = convertAction(ta('TicketQueueSet', { Queue: 'Raw', Frobnicate: '1' }, 'Move'));
    expect(r.action).toEqual({ type: 'TicketQueueSet', name: 'Move', queue: 'Raw' });
    expect(r.warnings).toEqual(['Transition action "Move": the setting "Frobnicate" is not supported and was dropped.']);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['TicketQueueSet', { QueueID: '14' }, /names the queue by database id \(QueueID 14\)/],
    ['TicketStateSet', { StateID: '12' }, /names the state by database id/],
    ['TicketLockSet', { '': '' }, /The converted action is missing "lock"/],
    ['TicketArticleCreate', { Test: '1' }, /missing "body"/],
    ['DynamicFieldSet', { 'set X to Y\tX': 'v' }, /"set X to Y\tX" is not a dynamic field name/],
    ['TicketSendNotification', { To: 'x' }, /module TicketSendNotification is not supported/],
  ])('keeps %s %j as an unsupported action', (module, config, reason) => {
    const r = convertAction(ta(module, config));
    expect(r.action).toMatchObject({ type: 'Unsupported', module: `Kernel::System::ProcessManagement::TransitionAction::${module}`, config });
    expect((r.action as { reason: string }).reason).toMatch(reason);
  });
});
