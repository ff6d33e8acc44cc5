import { describe, expect, it } from 'vitest';
import { fixture, Instance, NOW, ticket } from './support';

describe('scenario: a linear process (start → user task → script task → end)', () => {
  it('given a started instance, it waits on the user task with the assignment resolved', () => {
    const i = new Instance(fixture('linear'));
    i.start(ticket({ queue: 'Support::L1', owner: 'alice' }));
    expect(i.state.status).toBe('running');
    expect(i.where()).toEqual(['review/dialog']);
    expect(i.effect('openUserTask', 'review')).toMatchObject({ token: 'k1', interfaces: ['agent'], name: 'Review', assign: { queue: 'Support::L1', agent: 'alice' } });
  });

  it('when the dialog is submitted, the script runs with resolved params; when it finishes, the instance completes', () => {
    const i = new Instance(fixture('linear'));
    i.start(ticket());
    i.submit('review', ticket({}, { Note: 'looks fine' }), 'alice');
    expect(i.effectTypes()).toEqual(['closeUserTask:review', 'runScript:stamp']);
    const run = i.effect('runScript', 'stamp');
    expect(run).toMatchObject({ params: { note: 'looks fine', title: 'Ticket 2025030310000042' }, timeoutMs: 500, script: { source: expect.stringContaining('export default') } });
    expect(i.effect('closeUserTask')).toMatchObject({ reason: 'submitted', by: 'alice' });

    i.finishScript('stamp', { vars: { stamped: 'looks fine' } }, ticket());
    expect(i.state.status).toBe('completed');
    expect(i.state.tokens).toEqual([]);
    expect(i.state.vars).toEqual({ stamped: 'looks fine' });
    expect(i.effect('complete')).toEqual({ type: 'complete', nodeId: 'end' });
    expect(i.taken()).toEqual(['t1', 't2', 't3']);
  });

  it('then the path tells who did what, when, and why each transition was taken', () => {
    const i = new Instance(fixture('linear'));
    i.start(ticket());
    i.submit('review', ticket(), 'alice');
    const evs = i.state.path.map((e) => `${e.ev}:${e.node ?? ''}${e.tr ? `>${e.tr}` : ''}${e.by ? `@${e.by}` : ''}`);
    expect(evs).toEqual(['start:start@tester', 'enter:start', 'leave:start>t1', 'enter:review', 'submit:review@alice', 'leave:review>t2', 'enter:stamp']);
    expect(i.state.path.every((e) => e.at === NOW)).toBe(true);
    expect(i.state.path.find((e) => e.tr === 't2')?.why).toBe('no condition');
  });

  it('a submit after the task was completed is refused as stale and changes nothing', () => {
    const i = new Instance(fixture('linear'));
    i.start(ticket());
    i.submit('review', ticket());
    const before = JSON.stringify(i.state);
    expect(() => i.submit('review', ticket())).toThrow(expect.objectContaining({ type: 'EventRefused', code: 'STALE_EVENT' }));
    expect(JSON.stringify(i.state)).toBe(before);
  });
});
