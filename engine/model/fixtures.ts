/**
 * Representative processes for tests: `kitchenSink` uses every node type, every action type and
 * every kind of condition, and is valid; `minimalProcess` is the smallest valid process. Typed with
 * `Process`, so the TypeScript types and the JSON Schema are checked against the same data.
 */
import type { Process } from './types';

/** Every node type, action type and condition form, valid. */
export const kitchenSink: Process = {
  format: 'process/1',
  key: 'kitchen-sink',
  name: 'Kitchen sink',
  description: 'Every node type, action type and condition form.',
  version: 3,
  state: 'fadeaway',
  start: {
    interfaces: ['agent', 'customer'],
    dialog: {
      name: 'Start',
      interfaces: ['customer'],
      fields: [
        { field: 'Title', display: 'mandatory', label: 'Subject' },
        { field: 'DynamicField_Amount', display: 'shown', default: 10 },
        { field: 'Article', display: 'mandatory', visibleForCustomer: true, channel: 'Internal', timeUnits: 'hidden' },
      ],
      submitText: 'Go',
    },
  },
  nodes: [
    { id: 'start', type: 'startEvent', name: 'Start' },
    {
      id: 'review', type: 'userTask', name: 'Review', description: 'Look at it.',
      dialog: {
        id: 'AD1', name: 'Review', description: 'Short', longDescription: 'Long', interfaces: ['agent'],
        fields: [
          { field: 'Queue', display: 'shown', default: 'Raw' },
          { field: 'DynamicField_Approved', display: 'mandatory', description: 'yes or no' },
          { field: 'PendingTime', display: 'hidden', default: '{{vars.due}}' },
        ],
        submitText: 'Done', submitAdvice: 'Decide now', requiredLock: true,
      },
      alternativeDialogs: [{ id: 'AD2', interfaces: ['agent', 'customer'], fields: [{ field: 'Priority', display: 'shown' }] }],
      assign: { queue: 'Review', role: 'Reviewers', agent: 'alice' },
    },
    { id: 'reviewLate', type: 'boundaryTimer', attachedTo: 'review', cycle: 'R3/PT1H', interrupting: false },
    { id: 'route', type: 'exclusiveGateway', name: 'Route', default: 'toOther' },
    { id: 'fork', type: 'parallelGateway' },
    {
      id: 'calc', type: 'scriptTask', name: 'Calculate',
      script: { source: 'export default ({ params }) => ({ vars: { total: params.a * 2 } })' },
      params: { a: '{{ticket.dynamicFields.Amount}}', nested: { list: [1, 2] } }, timeoutMs: 500,
    },
    { id: 'calcFailed', type: 'boundaryError', attachedTo: 'calc' },
    {
      id: 'sub', type: 'callActivity', name: 'Sub-process', process: 'sub-process', version: 2, binding: 'child-ticket',
      inputs: { amount: '{{vars.total}}' }, outputs: { result: '{{vars.result}}' },
    },
    { id: 'subLate', type: 'boundaryTimer', attachedTo: 'sub', date: '2030-01-01T09:00:00Z' },
    { id: 'join', type: 'parallelGateway' },
    {
      id: 'book', type: 'serviceTask', name: 'Book', service: { webservice: 'erp', operation: 'book' },
      params: { amount: '{{vars.total}}' }, timeoutMs: 3000, retries: 2,
      errorMapping: [{ when: '5XX', code: 'HTTP_5XX' }, { when: 'timeout', code: 'TIMEOUT' }],
    },
    { id: 'bookFailed', type: 'boundaryError', attachedTo: 'book', errorCode: 'HTTP_5XX' },
    { id: 'wait', type: 'intermediateTimer', duration: 'P1DT2H' },
    { id: 'scripted', type: 'scriptTask', script: { ref: 'tidy-up', version: 4 } },
    { id: 'end', type: 'endEvent', name: 'Done' },
    { id: 'other', type: 'endEvent' },
    { id: 'late', type: 'endEvent' },
    { id: 'failed', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'review' },
    { id: 't2', from: 'review', to: 'route' },
    {
      id: 'toFork', from: 'route', to: 'fork', name: 'Approved', order: 1,
      condition: {
        all: [
          { field: 'DynamicField_Approved', op: 'eq', value: 'yes' },
          { any: [{ field: 'Queue', op: 'in', value: ['Raw', 'Misc'] }, { field: 'Title', op: 'regex', value: '^Re:' }] },
          { one: [{ field: 'vars.total', op: 'gt', value: 10 }, { field: 'Owner', op: 'notEmpty' }] },
          { field: 'Title', op: 'contains', value: 'urgent' },
        ],
      },
      actions: [
        { type: 'TicketQueueSet', name: 'Move', queue: 'Approved' },
        { type: 'TicketStateSet', state: 'pending reminder', pendingTimeDiff: 86400 },
        { type: 'TicketOwnerSet', owner: '{{ticket.responsible}}' },
        { type: 'TicketResponsibleSet', responsible: 'bob' },
        { type: 'TicketPrioritySet', priority: '4 high' },
        { type: 'TicketLockSet', lock: 'lock' },
        { type: 'TicketTypeSet', ticketType: 'Incident' },
        { type: 'TicketServiceSet', service: 'IT::Email' },
        { type: 'TicketSLASet', sla: 'Gold' },
        { type: 'TicketTitleSet', title: 'Approved: {{ticket.title}}' },
        { type: 'TicketCustomerSet', customerUser: 'jdoe', customerId: 'ACME' },
        { type: 'DynamicFieldSet', fields: { Status: 'approved', Count: 3, Tags: ['a', 'b'], Cleared: null } },
        { type: 'TicketArticleCreate', subject: 'Note', body: 'Approved by {{owner.fullName}}', channel: 'Internal', visibleForCustomer: false, senderType: 'agent', timeUnits: 5 },
        {
          type: 'TicketCreate', title: 'Follow-up', queue: 'Misc', state: 'new', priority: '3 normal', ticketType: 'Task', owner: 'alice',
          dynamicFields: { Parent: '{{ticket.number}}' }, article: { subject: 'Follow-up', body: 'See {{ticket.number}}' }, linkAs: 'child',
        },
        { type: 'SendEmail', to: '{{customer.email}}', template: 'approved' },
        { type: 'SendEmail', to: 'ops@example.com', cc: 'lead@example.com', subject: 'Approved', body: 'Ticket {{ticket.number}}' },
        { type: 'ExecuteInvoker', webservice: 'erp', operation: 'notify', params: { id: '{{ticket.id}}' } },
        { type: 'KbArticleInsert', article: 7, mode: 'link', intro: 'Dear {{customer.firstName}},', visibleForCustomer: true },
      ],
    },
    { id: 'toOther', from: 'route', to: 'other', order: 2 },
    { id: 'toCalc', from: 'fork', to: 'calc' },
    { id: 'toSub', from: 'fork', to: 'sub' },
    { id: 'calcDone', from: 'calc', to: 'join' },
    { id: 'subDone', from: 'sub', to: 'join' },
    { id: 'toBook', from: 'join', to: 'book' },
    { id: 'booked', from: 'book', to: 'wait', condition: { expression: 'vars.total > 0' } },
    { id: 'waited', from: 'wait', to: 'scripted' },
    { id: 'toEnd', from: 'scripted', to: 'end' },
    { id: 'remind', from: 'reviewLate', to: 'late', actions: [{ type: 'SendEmail', to: '{{responsible.email}}', subject: 'Late', body: 'Please review.' }] },
    { id: 'calcError', from: 'calcFailed', to: 'failed' },
    { id: 'subTimeout', from: 'subLate', to: 'failed' },
    { id: 'bookError', from: 'bookFailed', to: 'failed' },
  ],
  diagram: {
    shapes: { start: { x: 100, y: 100, w: 36, h: 36 }, review: { x: 200, y: 78, w: 100, h: 80 } },
    edges: { t1: [[136, 118], [200, 118]] },
  },
};

/** The smallest valid process: start → task → end. */
export function minimalProcess(): Process {
  return {
    format: 'process/1',
    key: 'minimal',
    name: 'Minimal',
    start: { interfaces: ['agent'] },
    nodes: [
      { id: 'start', type: 'startEvent' },
      { id: 'task', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
      { id: 'end', type: 'endEvent' },
    ],
    transitions: [
      { id: 't1', from: 'start', to: 'task' },
      { id: 't2', from: 'task', to: 'end' },
    ],
  };
}

/** A deep copy of a fixture, to mutate in a test. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
