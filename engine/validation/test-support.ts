/** Helpers for the rule tests: run one rule on a document, or list the problem codes of a document. */
import type { Process } from '../model/types';
import { buildGraph } from './graph';
import { validateProcess } from './index';
import type { Problem } from './problem';
import type { Rule } from './rule';

export function runRule(rule: Rule, doc: unknown): Problem[] {
  return rule({ doc, graph: buildGraph(doc) });
}

export function codes(doc: unknown): string[] {
  return validateProcess(doc).map((p) => p.code);
}

/** A process built from node and transition shorthands: `['a:userTask', ...]`, `['a>b', ...]`. */
export function graph(nodes: string[], transitions: string[]): Process {
  return {
    format: 'process/1',
    key: 'test',
    name: 'Test',
    start: { interfaces: ['agent'] },
    nodes: nodes.map((spec) => {
      const [id, type = 'userTask'] = spec.split(':');
      if (type === 'userTask') return { id: id!, type, dialog: { interfaces: ['agent'], fields: [] } };
      if (type === 'scriptTask') return { id: id!, type, script: { ref: 'x' } };
      if (type === 'serviceTask') return { id: id!, type, service: { webservice: 'w', operation: 'o' } };
      if (type === 'intermediateTimer') return { id: id!, type, duration: 'PT1H' };
      if (type === 'callActivity') return { id: id!, type, process: 'sub', version: 'latest', binding: 'same-ticket' };
      if (type.startsWith('boundary')) {
        const [kind, host] = type.split('@');
        return kind === 'boundaryTimer' ? { id: id!, type: kind, attachedTo: host!, duration: 'PT1H' } : { id: id!, type: 'boundaryError', attachedTo: host! };
      }
      return { id: id!, type } as Process['nodes'][number];
    }),
    transitions: transitions.map((spec) => {
      const [from, to] = spec.split('>');
      return { id: `${from}_${to}`, from: from!, to: to! };
    }),
  };
}
