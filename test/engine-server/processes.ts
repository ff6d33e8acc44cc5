/**
 * Process definitions the process-ticket scenarios run (fixtures beside the tests): each is small
 * and named after the behaviour it shows.
 */
import type { Process } from '../../engine/model/types';

const agent = ['agent'] as const;
const base = (key: string, name: string): Pick<Process, 'format' | 'key' | 'name' | 'start'> => ({ format: 'process/1', key, name, start: { interfaces: [...agent] } });

/** start → describe (Title, Reason mandatory) → note (an article) → end. */
export const linear: Process = {
  ...base('linear', 'Linear'),
  start: {
    interfaces: ['agent', 'customer'],
    dialog: { interfaces: ['agent', 'customer'], fields: [{ field: 'DynamicField_Reason', display: 'shown', label: 'Why?' }] },
  },
  nodes: [
    { id: 'start', type: 'startEvent' },
    {
      id: 'describe', name: 'Describe the request', type: 'userTask',
      dialog: {
        interfaces: ['agent'], submitText: 'Continue', submitAdvice: 'Check the reason',
        fields: [
          { field: 'Title', display: 'shown' },
          { field: 'DynamicField_Reason', display: 'mandatory', description: 'What is it about?' },
          { field: 'Priority', display: 'shown', default: '3 normal' },
        ],
      },
    },
    { id: 'note', name: 'Write a note', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Article', display: 'mandatory', channel: 'Internal' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'describe' },
    { id: 't2', from: 'describe', to: 'note' },
    { id: 't3', from: 'note', to: 'end' },
  ],
};

/** review (Approved dropdown) → gateway: yes → close; default → move to HR. */
export const choice: Process = {
  ...base('choice', 'Choice'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'review', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'DynamicField_Approved', display: 'shown' }] } },
    { id: 'decide', type: 'exclusiveGateway', default: 'otherwise' },
    { id: 'approvedEnd', type: 'endEvent' },
    { id: 'rejectedEnd', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'review' },
    { id: 't2', from: 'review', to: 'decide' },
    { id: 'approved', from: 'decide', to: 'approvedEnd', condition: { all: [{ field: 'DynamicField_Approved', op: 'eq', value: 'yes' }] }, actions: [{ type: 'TicketStateSet', state: 'closed successful' }] },
    { id: 'otherwise', from: 'decide', to: 'rejectedEnd', actions: [{ type: 'TicketQueueSet', queue: 'HR' }] },
  ],
};

/** An OTOBO-style activity: classify, left by the first of three conditional transitions that holds. */
export const activity: Process = {
  ...base('activity', 'Activity'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'classify', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Priority', display: 'mandatory' }, { field: 'DynamicField_Category', display: 'shown' }] } },
    { id: 'urgent', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'hardware', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'other', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't0', from: 'start', to: 'classify' },
    { id: 'u1', from: 'urgent', to: 'end' },
    { id: 'h1', from: 'hardware', to: 'end' },
    { id: 'o1', from: 'other', to: 'end' },
    { id: 'toUrgent', order: 1, from: 'classify', to: 'urgent', condition: { all: [{ field: 'Priority', op: 'eq', value: '5 very high' }] } },
    { id: 'toHardware', order: 2, from: 'classify', to: 'hardware', condition: { all: [{ field: 'DynamicField_Category', op: 'eq', value: 'hardware' }] } },
    { id: 'toOther', order: 3, from: 'classify', to: 'other', condition: { any: [{ field: 'DynamicField_Category', op: 'eq', value: 'software' }, { field: 'DynamicField_Category', op: 'eq', value: 'other' }] } },
  ],
};

/** fork → two user tasks in parallel → join → end. */
export const parallel: Process = {
  ...base('parallel', 'Parallel'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'fork', type: 'parallelGateway' },
    { id: 'legal', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'DynamicField_LegalOk', display: 'mandatory' }] } },
    { id: 'finance', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'DynamicField_FinanceOk', display: 'mandatory' }] } },
    { id: 'join', type: 'parallelGateway' },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'fork' },
    { id: 't2', from: 'fork', to: 'legal' },
    { id: 't3', from: 'fork', to: 'finance' },
    { id: 't4', from: 'legal', to: 'join' },
    { id: 't5', from: 'finance', to: 'join' },
    { id: 't6', from: 'join', to: 'end', actions: [{ type: 'TicketStateSet', state: 'closed successful' }] },
  ],
};

/** A feedback dialog for the customer only, then an agent dialog. */
export const customerOnly: Process = {
  ...base('customer-feedback', 'Customer feedback'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'feedback', type: 'userTask', dialog: { interfaces: ['customer'], fields: [{ field: 'DynamicField_Rating', display: 'mandatory' }, { field: 'Article', display: 'shown' }] } },
    { id: 'followUp', type: 'userTask', dialog: { interfaces: ['agent'], requiredLock: true, fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'feedback' },
    { id: 't2', from: 'feedback', to: 'followUp' },
    { id: 't3', from: 'followUp', to: 'end' },
  ],
};

/** One submit, then two scripts (library + inline) and a gateway chain to the next wait. */
export const chain: Process = {
  ...base('chain', 'Chain'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'request', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'DynamicField_Days', display: 'mandatory' }] } },
    { id: 'count', type: 'scriptTask', script: { ref: 'count-days' }, params: { days: '{{ticket.dynamicFields.Days}}', extra: 1 } },
    { id: 'classify', type: 'scriptTask', script: { source: 'export default ({ vars }) => ({ vars: { long: vars.total > 5 }, dynamicFields: { Category: vars.total > 5 ? "long" : "short" } })' } },
    { id: 'decide', type: 'exclusiveGateway', default: 'short' },
    { id: 'approve', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'request' },
    { id: 't2', from: 'request', to: 'count' },
    { id: 't3', from: 'count', to: 'classify' },
    { id: 't4', from: 'classify', to: 'decide' },
    { id: 'long', from: 'decide', to: 'approve', condition: { expression: 'vars.long === true' } },
    { id: 'short', from: 'decide', to: 'end' },
    { id: 't6', from: 'approve', to: 'end' },
  ],
};

/** Every action type on one transition. */
export const everyAction: Process = {
  ...base('every-action', 'Every action'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'go', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'go' },
    {
      id: 't2', from: 'go', to: 'end',
      actions: [
        { type: 'TicketTitleSet', title: 'Handled: {{ticket.title}}' },
        { type: 'TicketQueueSet', queue: 'HR' },
        { type: 'TicketPrioritySet', priority: '4 high' },
        { type: 'TicketTypeSet', ticketType: 'Incident' },
        { type: 'TicketOwnerSet', owner: 'bob' },
        { type: 'TicketResponsibleSet', responsible: 'alice' },
        { type: 'TicketLockSet', lock: 'lock' },
        { type: 'TicketCustomerSet', customerUser: 'carl' },
        { type: 'TicketServiceSet', service: 'Email' },
        { type: 'TicketSLASet', sla: 'Gold' },
        { type: 'DynamicFieldSet', fields: { Reason: 'by {{ticket.owner}}' } },
        { type: 'TicketArticleCreate', subject: 'Note', body: 'Queue is now {{ticket.queue}}', channel: 'Internal' },
        { type: 'TicketCreate', title: 'Child of {{ticket.number}}', queue: 'Support', linkAs: 'child' },
        { type: 'SendEmail', to: '{{customer.email}}', subject: 'Your ticket {{ticket.number}}', body: 'Hello' },
        { type: 'ExecuteInvoker', webservice: 'Crm', operation: 'Notify', params: { ticket: '{{ticket.number}}' } },
        { type: 'TicketStateSet', state: 'pending reminder', pendingTimeDiff: 3600 },
      ],
    },
  ],
};

/** A gateway whose condition cannot be evaluated (the expression throws). */
export const badCondition: Process = {
  ...base('bad-condition', 'Bad condition'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'ask', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'decide', type: 'exclusiveGateway' },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'ask' },
    { id: 't2', from: 'ask', to: 'decide' },
    { id: 'broken', from: 'decide', to: 'end', condition: { expression: 'vars.missing.deeper > 1' } },
    { id: 'fine', from: 'decide', to: 'end', condition: { all: [{ field: 'Title', op: 'eq', value: 'never' }] } },
  ],
};

/** A transition whose action names a queue that does not exist. */
export const failingAction: Process = {
  ...base('failing-action', 'Failing action'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'ask', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'ask' },
    { id: 't2', from: 'ask', to: 'end', actions: [{ type: 'TicketPrioritySet', priority: '5 very high' }, { type: 'TicketQueueSet', queue: '{{ticket.dynamicFields.Target}}' }] },
  ],
};

/** start → script → end: the durability and bench flow. */
export const scriptOnly: Process = {
  ...base('script-only', 'Script only'),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'work', type: 'scriptTask', script: { source: 'export default ({ vars }) => ({ vars: { done: true } })' } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'work' },
    { id: 't2', from: 'work', to: 'end' },
  ],
};
