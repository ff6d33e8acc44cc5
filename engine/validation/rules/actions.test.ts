import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { unsupportedActions } from './actions';

describe('rule: unsupported actions are reported', () => {
  it('names the module and the reason', () => {
    const doc = graph(['s:startEvent', 'e:endEvent'], ['s>e']);
    doc.transitions[0]!.actions = [
      { type: 'TicketQueueSet', queue: 'Raw' },
      { type: 'Unsupported', name: 'Move by id', module: 'Kernel::System::ProcessManagement::TransitionAction::TicketQueueSet', reason: 'it names the queue by database id (QueueID 4); name it instead', config: { QueueID: '4' } },
    ];
    const [p] = runRule(unsupportedActions, doc);
    expect(p).toMatchObject({ code: 'UNSUPPORTED_ACTION', path: '/transitions/0/actions/1', transitionId: 's_e', severity: 'error' });
    expect(p!.message).toMatch(/"Move by id" \(Kernel::System::ProcessManagement::TransitionAction::TicketQueueSet\) could not be converted: it names the queue by database id/);
  });
});
