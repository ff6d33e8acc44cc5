/**
 * Every named thing a process refers to — queues, states, priorities, types, services, SLAs, dynamic
 * fields, roles, agents, web services (with operation), scripts, called processes, email templates —
 * each with the JSON paths that use it. The server checks them against its database ("missing queue
 * X used at /nodes/2/assign/queue") and can offer to create the missing ones.
 */
import { actionDefinition, type ReferenceUse } from '../model/actions';
import { eachComparison } from '../model/conditions';
import { parseFieldName, TICKET_FIELD_REFERENCE, type ReferenceKind } from '../model/fields';
import { hasTemplate, templateDynamicFields } from '../model/templates';
import { pointer } from './problem';
import { eachAction, eachCondition, eachDialog, eachTemplateText } from './walk';

export interface Reference {
  kind: ReferenceKind;
  name: string;
  /** Web services: the operation. */
  operation?: string;
  /** Scripts and called processes: the version asked for (latest when absent). */
  version?: number | 'latest';
  /** JSON pointers of every use. */
  paths: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function literalName(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !hasTemplate(value);
}

/**
 * Lists the references of a process, grouped by kind and name, in order of first use.
 *
 * @example
 * collectReferences(process);
 * // [{ kind: 'queue', name: 'HR', paths: ['/nodes/2/assign/queue', '/transitions/1/actions/0/queue'] },
 * //  { kind: 'dynamicField', name: 'Approved', paths: ['/nodes/2/dialog/fields/0/field'] }, ...]
 */
export function collectReferences(doc: unknown): Reference[] {
  const uses: ReferenceUse[] = [];
  const add = (kind: ReferenceKind, name: unknown, path: string, extra: Partial<ReferenceUse> = {}) => {
    if (literalName(name)) uses.push({ kind, name, path, ...extra });
  };
  const d = isRecord(doc) ? doc : {};

  (Array.isArray(d.nodes) ? d.nodes : []).forEach((n, i) => {
    if (!isRecord(n)) return;
    if (isRecord(n.assign)) {
      add('queue', n.assign.queue, pointer('nodes', i, 'assign', 'queue'));
      add('role', n.assign.role, pointer('nodes', i, 'assign', 'role'));
      add('agent', n.assign.agent, pointer('nodes', i, 'assign', 'agent'));
    }
    if (n.type === 'scriptTask' && isRecord(n.script) && typeof n.script.ref === 'string') {
      const version = typeof n.script.version === 'number' ? { version: n.script.version } : {};
      add('script', n.script.ref, pointer('nodes', i, 'script', 'ref'), version);
    }
    if (n.type === 'serviceTask' && isRecord(n.service)) {
      const op = typeof n.service.operation === 'string' ? { operation: n.service.operation } : {};
      add('webservice', n.service.webservice, pointer('nodes', i, 'service', 'webservice'), op);
    }
    if (n.type === 'intermediateTimer' || n.type === 'boundaryTimer') add('calendar', n.calendar, pointer('nodes', i, 'calendar'));
    if (n.type === 'callActivity') {
      const version: Partial<ReferenceUse> = n.version === 'latest' || typeof n.version === 'number' ? { version: n.version } : {};
      add('process', n.process, pointer('nodes', i, 'process'), version);
    }
  });

  eachDialog(doc, (dialog, path) => {
    if (!Array.isArray(dialog.fields)) return;
    dialog.fields.forEach((f, j) => {
      if (!isRecord(f) || typeof f.field !== 'string') return;
      const ref = parseFieldName(f.field);
      if (ref.kind === 'dynamicField') add('dynamicField', ref.name, `${path}/fields/${j}/field`);
      const kind = TICKET_FIELD_REFERENCE[f.field];
      if (kind) add(kind, f.default, `${path}/fields/${j}/default`);
    });
  });

  eachCondition(doc, (condition, path) => {
    eachComparison(condition, path, (c, p) => {
      const ref = parseFieldName(c.field);
      if (ref.kind === 'dynamicField') add('dynamicField', ref.name, `${p}/field`);
      const kind = TICKET_FIELD_REFERENCE[c.field];
      if (!kind || !['eq', 'ne', 'in'].includes(c.op)) return;
      if (Array.isArray(c.value)) c.value.forEach((v, k) => add(kind, v, `${p}/value/${k}`));
      else add(kind, c.value, `${p}/value`);
    });
  });

  eachAction(doc, (action, path) => {
    const def = actionDefinition(action.type);
    if (def) uses.push(...def.references(action, path));
  });

  eachTemplateText(doc, (text, path) => {
    if (hasTemplate(text)) for (const name of templateDynamicFields(text)) add('dynamicField', name, path);
  });

  return group(uses);
}

function group(uses: ReferenceUse[]): Reference[] {
  const byKey = new Map<string, Reference>();
  for (const u of uses) {
    const key = JSON.stringify([u.kind, u.name, u.operation ?? null, u.version ?? null]);
    let ref = byKey.get(key);
    if (!ref) {
      ref = { kind: u.kind, name: u.name, paths: [] };
      if (u.operation !== undefined) ref.operation = u.operation;
      if (u.version !== undefined) ref.version = u.version;
      byKey.set(key, ref);
    }
    if (!ref.paths.includes(u.path)) ref.paths.push(u.path);
  }
  return [...byKey.values()];
}
