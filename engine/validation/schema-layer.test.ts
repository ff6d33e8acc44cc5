import { describe, expect, it } from 'vitest';
import { copy, kitchenSink, minimalProcess } from '../model/fixtures';
import { schemaProblems } from './schema-layer';

describe('layer 1: schema', () => {
  it('passes the fixtures', () => {
    expect(schemaProblems(kitchenSink)).toEqual([]);
  });

  it('reports every error, each with its path, code and the node it is about', () => {
    const doc = copy(minimalProcess()) as any;
    doc.key = 'Not A Key';
    doc.nodes[1].dialog.fields[0].display = 'visible';
    delete doc.nodes[1].dialog.interfaces;
    doc.nodes[2].colour = 'red';
    expect(schemaProblems(doc)).toEqual([
      expect.objectContaining({ code: 'SCHEMA_PATTERN', path: '/key', message: expect.stringMatching(/"Not A Key", but must be a key: lower-case letters/) }),
      expect.objectContaining({ code: 'SCHEMA_REQUIRED', path: '/nodes/1/dialog/interfaces', nodeId: 'task', message: 'Node "task": "dialog" is missing "interfaces".' }),
      expect.objectContaining({ code: 'SCHEMA_ENUM', path: '/nodes/1/dialog/fields/0/display', message: expect.stringMatching(/"visible", but must be one of "hidden", "shown", "mandatory"/) }),
      expect.objectContaining({ code: 'SCHEMA_ADDITIONAL_PROPERTIES', path: '/nodes/2/colour', nodeId: 'end' }),
    ]);
  });

  it('names an unknown node type and lists the known ones', () => {
    const doc = copy(minimalProcess()) as any;
    doc.nodes[1].type = 'manualTask';
    const [p] = schemaProblems(doc);
    expect(p).toMatchObject({ path: '/nodes/1/type', nodeId: 'task' });
    expect(p!.message).toMatch(/type "manualTask", which is unknown; use one of "startEvent"/);
  });

  it('checks each action against its own schema, at the action property path', () => {
    const doc = copy(minimalProcess()) as any;
    doc.transitions.push({ id: 'x', from: 'task', to: 'end' }, { id: 'y', from: 'task', to: 'end' }, { id: 'z', from: 'task', to: 'end' });
    doc.transitions[3].actions = [{ type: 'TicketQueueSet', queue: 7 }, { type: 'SendEmail', to: 'a@b.c' }, { type: 'Teleport' }];
    expect(schemaProblems(doc)).toEqual([
      expect.objectContaining({ code: 'ACTION_UNKNOWN_TYPE', path: '/transitions/3/actions/2/type' }),
      expect.objectContaining({ code: 'ACTION_INVALID', path: '/transitions/3/actions/0/queue', transitionId: 'y', message: 'Transition "y", action 1 (TicketQueueSet): "queue" must be a string.' }),
      expect.objectContaining({ code: 'ACTION_INVALID', path: '/transitions/3/actions/1', message: 'Transition "y", action 2 (SendEmail) needs a template, or a subject and a body.' }),
    ]);
  });

  it('names a bad key of a map', () => {
    const doc = copy(minimalProcess()) as any;
    doc.transitions[1].actions = [{ type: 'DynamicFieldSet', fields: { 'Bad Name': 1 } }];
    expect(schemaProblems(doc)).toEqual([
      expect.objectContaining({ code: 'ACTION_INVALID', path: '/transitions/1/actions/0/fields/Bad Name', message: 'Transition "t2", action 1 (DynamicFieldSet): "fields" has the key "Bad Name", which is not a dynamic field name: letters and digits.' }),
    ]);
  });

  it('reports one sentence for a failed either-or instead of every branch', () => {
    const doc = copy(minimalProcess()) as any;
    doc.nodes.splice(2, 0, { id: 'w', type: 'intermediateTimer' });
    const problems = schemaProblems(doc);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe('Node "w" needs exactly one of duration, date, cycle.');
  });
});
