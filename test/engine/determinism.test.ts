import { describe, expect, it } from 'vitest';
import { fixture, Instance, ticket } from './support';

function play(): string {
  const i = new Instance(fixture('parallel'));
  i.start(ticket());
  i.submit('finance', ticket({}, { Budget: 10 }));
  i.finishScript('score', { vars: { score: 7 }, dynamicFields: { Score: 7 } }, ticket());
  i.submit('legal', ticket());
  const c = new Instance(fixture('chain'));
  c.start(ticket());
  c.submit('order', ticket({}, { Items: 200 }));
  c.finishScript('price', { vars: { total: 2000 } }, ticket());
  c.finishScript('tax', { vars: { gross: 2380 } }, ticket());
  return JSON.stringify([i.history, c.history]);
}

describe('determinism', () => {
  it('the same definition, events and clock give byte-identical states, effects and logs', () => {
    const a = play();
    const b = play();
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(1000);
  });
});
