import { describe, expect, it } from 'vitest';
import { fixture, Instance, ticket } from './support';

describe('scenario: parallel fork and join', () => {
  it('forks into three branches with their own tokens', () => {
    const i = new Instance(fixture('parallel'));
    i.start(ticket());
    expect(i.where()).toEqual(['legal/dialog', 'finance/dialog', 'score/script']);
    expect(i.state.tokens.map((t) => t.id)).toEqual(['k1', 'k2', 'k3']);
    expect(i.effectTypes()).toEqual(['openUserTask:legal', 'openUserTask:finance', 'runScript:score']);
  });

  it('joins only when a token arrived by every incoming transition, then continues once', () => {
    const i = new Instance(fixture('parallel'));
    i.start(ticket());
    i.submit('finance', ticket());
    expect(i.where()).toEqual(['legal/dialog', 'join/join', 'score/script']);
    i.finishScript('score', { vars: { score: 7 } }, ticket());
    expect(i.where()).toEqual(['legal/dialog', 'join/join', 'join/join']);
    expect(i.state.status).toBe('running');

    i.submit('legal', ticket());
    expect(i.state.status).toBe('completed');
    expect(i.effectTypes()).toEqual(['closeUserTask:legal', 'applyActions:join', 'complete:end']);
    expect(i.taken().filter((t) => t === 'toEnd')).toHaveLength(1);
    expect(i.last.log.filter((e) => e.why?.startsWith('joined into'))).toHaveLength(2);
  });
});
