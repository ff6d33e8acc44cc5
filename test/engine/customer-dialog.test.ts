import { describe, expect, it } from 'vitest';
import { fixture, Instance, ticket } from './support';

describe('scenario: a customer-only dialog', () => {
  it('opens the task for the customer interface only, so the server can refuse agents', () => {
    const i = new Instance(fixture('customer-dialog'));
    i.start(ticket());
    const open = i.effect('openUserTask', 'answer');
    expect(open.interfaces).toEqual(['customer']);
    expect(open.dialog.fields[0]).toMatchObject({ field: 'Article', visibleForCustomer: true });
  });

  it('refuses a submit from the agent interface (nothing changes) and accepts the customer', () => {
    const i = new Instance(fixture('customer-dialog'));
    i.start(ticket());
    const before = JSON.stringify(i.state);
    expect(() => i.send({ type: 'dialogSubmitted', nodeId: 'answer', by: 'alice', interface: 'agent', snapshot: ticket() }))
      .toThrow(expect.objectContaining({ code: 'INTERFACE_NOT_ALLOWED' }));
    expect(JSON.stringify(i.state)).toBe(before);

    i.send({ type: 'dialogSubmitted', nodeId: 'answer', by: 'jdoe', interface: 'customer', snapshot: ticket() });
    expect(i.state.status).toBe('completed');
  });
});
