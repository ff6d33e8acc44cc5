/**
 * The document a new process starts from: start → user task → end, laid out, valid as it is.
 */
import { layoutProcess, type Process } from './engine';

/**
 * @example
 * newProcess('vacation-request', 'Vacation request').nodes.map((n) => n.type); // ['startEvent', 'userTask', 'endEvent']
 */
export function newProcess(key: string, name: string): Process {
  const process: Process = {
    format: 'process/1',
    key,
    name,
    start: { interfaces: ['agent'] },
    nodes: [
      { id: 'start', type: 'startEvent', name: 'Start' },
      { id: 'work', type: 'userTask', name: 'Work on the ticket', dialog: { interfaces: ['agent'], fields: [{ field: 'Article', display: 'shown' }], submitText: 'Done' } },
      { id: 'end', type: 'endEvent', name: 'Done' },
    ],
    transitions: [
      { id: 'to-work', from: 'start', to: 'work' },
      { id: 'to-end', from: 'work', to: 'end' },
    ],
  };
  return { ...process, diagram: layoutProcess(process) };
}

/** A key from a name: lower case, digits and dashes (`Vacation request` → `vacation-request`). */
export function keyFromName(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
}
