import { describe, expect, it } from 'vitest';
import { graph, runRule } from '../test-support';
import { templates } from './templates';

describe('rule: templates are well-formed', () => {
  it('checks actions, params, mappings, assignments and dialog defaults', () => {
    const doc = graph(['s:startEvent', 'x:scriptTask', 'c:callActivity', 't:userTask', 'e:endEvent'], ['s>x', 'x>c', 'c>t', 't>e']);
    doc.transitions[0]!.actions = [{ type: 'SendEmail', to: '{{customer.mail}}', subject: 'ok {{ticket.title}}', body: 'b' }];
    doc.nodes[1] = { id: 'x', type: 'scriptTask', script: { ref: 'r' }, params: { a: { deep: '{{vars}}' } } };
    doc.nodes[2] = { id: 'c', type: 'callActivity', process: 'p', version: 'latest', binding: 'same-ticket', inputs: { n: '{{vars.n' } };
    doc.nodes[3] = { id: 't', type: 'userTask', assign: { agent: '{{owner.bogus}}' }, dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'hidden', default: '{{ticket.number}}' }] } };
    expect(runRule(templates, doc).map((p) => p.path)).toEqual([
      '/transitions/0/actions/0/to', '/nodes/1/params/a/deep', '/nodes/2/inputs/n', '/nodes/3/assign/agent',
    ]);
  });
});
