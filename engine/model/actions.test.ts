import { describe, expect, it } from 'vitest';
import { actionErrors } from '../validation/schema-layer';
import { ACTION_TYPES, ACTIONS, actionDefinition } from './actions';
import { kitchenSink } from './fixtures';

const examples = kitchenSink.transitions.flatMap((t) => t.actions ?? []);

describe('action registry', () => {
  it('has a schema and a description for every action type', () => {
    for (const type of ACTION_TYPES) {
      expect(ACTIONS[type].schema).toMatchObject({ type: 'object', properties: { type: { const: type } } });
      expect(ACTIONS[type].description).toMatch(/\.$/);
    }
    expect(actionDefinition('Nope')).toBeUndefined();
    expect(actionDefinition('toString')).toBeUndefined();
  });

  it('accepts a correct example of each type', () => {
    for (const a of examples) expect(actionErrors(a), a.type).toEqual([]);
  });

  it.each([
    [{ type: 'TicketQueueSet' }, /missing "queue"/],
    [{ type: 'TicketQueueSet', queue: '' }, /must not be empty/],
    [{ type: 'TicketStateSet', state: 'pending reminder', pendingTime: '2025-01-01T00:00Z', pendingTimeDiff: 60 }, /pendingTime or pendingTimeDiff, not both/],
    [{ type: 'TicketLockSet', lock: 'tmp_lock' }, /must be one of "lock", "unlock"/],
    [{ type: 'TicketCustomerSet' }, /customerUser, customerId or both/],
    [{ type: 'DynamicFieldSet', fields: {} }, /at least 1/],
    [{ type: 'TicketArticleCreate', subject: 'x' }, /missing "body"/],
    [{ type: 'TicketCreate', title: 'x' }, /missing "queue"/],
    [{ type: 'SendEmail', to: 'x@example.com', subject: 'only a subject' }, /a template, or a subject and a body/],
    [{ type: 'ExecuteInvoker', webservice: 'erp' }, /missing "operation"/],
    [{ type: 'TicketTitleSet', title: 'x', colour: 'red' }, /unknown property "colour"/],
    [{ type: 'Explode' }, /is not an action type/],
  ])('refuses %j', (action, message) => {
    expect(actionErrors(action).join(' ')).toMatch(message);
  });

  it('lists the named things an action uses, not templates', () => {
    const refs = (a: Record<string, unknown>) => ACTIONS[a.type as 'TicketQueueSet'].references(a, '/a');
    expect(refs({ type: 'TicketQueueSet', queue: 'HR' })).toEqual([{ kind: 'queue', name: 'HR', path: '/a/queue' }]);
    expect(refs({ type: 'TicketOwnerSet', owner: '{{ticket.responsible}}' })).toEqual([]);
    expect(refs({ type: 'DynamicFieldSet', fields: { A: 1, B: 2 } }).map((r) => r.name)).toEqual(['A', 'B']);
    expect(refs({ type: 'ExecuteInvoker', webservice: 'erp', operation: 'book' })).toEqual([{ kind: 'webservice', name: 'erp', operation: 'book', path: '/a/webservice' }]);
    expect(refs({ type: 'TicketCreate', title: 't', queue: 'Misc', ticketType: 'Task', dynamicFields: { P: 1 } }).map((r) => `${r.kind}:${r.name}`)).toEqual([
      'queue:Misc', 'type:Task', 'dynamicField:P',
    ]);
  });
});
