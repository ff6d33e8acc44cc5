import { describe, expect, it } from 'vitest';
import { fixture, Instance, ticket } from './support';

describe('scenario: automatic chaining through two scripts and a gateway after one submit', () => {
  it('runs every following step without another user action', () => {
    const i = new Instance(fixture('chain'));
    i.start(ticket());
    expect(i.where()).toEqual(['order/dialog']);

    // when the order dialog is submitted, the first script is asked for at once
    i.submit('order', ticket({}, { Items: 3 }));
    expect(i.effectTypes()).toEqual(['closeUserTask:order', 'runScript:price']);
    expect(i.effect('runScript', 'price').params).toEqual({ items: 3 });

    // the script's result feeds the second script's params
    i.finishScript('price', { vars: { total: 30 } }, ticket({}, { Items: 3 }));
    expect(i.effect('runScript', 'tax')).toMatchObject({ params: { total: 30 }, vars: { total: 30 }, script: { ref: 'add-tax', version: 2 } });

    // the second result runs the gateway (default: small) and its actions, and ends
    i.finishScript('tax', { vars: { gross: 35.7 }, dynamicFields: { Tax: 5.7 } }, ticket({}, { Items: 3 }));
    expect(i.state.status).toBe('completed');
    expect(i.effectTypes()).toEqual(['applyActions:tax', 'applyActions:big', 'complete:done']);
    expect(i.last.effects[0]).toMatchObject({ source: 'script', actions: [{ type: 'DynamicFieldSet', fields: { Tax: 5.7 } }] });
    expect(i.last.effects[1]).toMatchObject({
      transition: 'small',
      actions: [{ type: 'TicketTitleSet', title: 'Order of 35.7 EUR' }, { type: 'DynamicFieldSet', fields: { Gross: 35.7 } }],
    });
    expect(i.taken()).toEqual(['t0', 't1', 't2', 't3', 'small']);
  });

  it('a result for an older script run is refused as stale', () => {
    const i = new Instance(fixture('chain'));
    i.start(ticket());
    i.submit('order', ticket({}, { Items: 3 }));
    const run = i.effect('runScript', 'price');
    expect(() => i.send({ type: 'scriptFinished', tokenId: run.token, run: 'r999', result: {}, snapshot: ticket() }))
      .toThrow(expect.objectContaining({ code: 'STALE_EVENT' }));
  });
});
