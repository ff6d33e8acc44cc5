/**
 * OTOBO / Znuny process export (YAML: Process, Activities, ActivityDialogs, Transitions,
 * TransitionActions) → process/1. Activities become user tasks with their dialogs (an activity with
 * neither dialogs nor a way out becomes an end event), Path entries become transitions ordered as
 * OTOBO tries them (by transition entity id), conditions and transition actions are converted, the
 * canvas layout is kept, and a start event (plus end events where OTOBO just stops) make the result a
 * complete graph. Nothing is silently dropped: what cannot be converted is kept as `unsupported` in
 * the process and listed in the result.
 */
import { ProcessFormatError } from '../errors';
import type { Dialog } from '../model/dialog';
import { ID_PATTERN } from '../model/schema';
import { slugify } from '../model/slug';
import type { Action, Bounds, Process, ProcessNode, ProcessState, Transition } from '../model/types';
import { convertAction } from './actions';
import { convertCondition } from './conditions';
import { convertDialog } from './dialogs';
import { isRecord, numbered, str, strings } from './values';
import { parseYaml } from './yaml';

export interface OtoboUnsupported {
  /** OTOBO entity id. */
  id: string;
  /** OTOBO entity kind: Transition, TransitionAction, Activity, ActivityDialog. */
  type: string;
  reason: string;
}

export interface OtoboImport {
  process: Process;
  warnings: string[];
  unsupported: OtoboUnsupported[];
  /** Entities converted with a change in behaviour worth checking, one entry each. */
  changed: OtoboUnsupported[];
}

const STATES: Record<string, ProcessState> = { active: 'active', inactive: 'inactive', fadeaway: 'fadeaway' };

class Ids {
  private used = new Set<string>();
  private map = new Map<string, string>();
  private pattern = new RegExp(ID_PATTERN);

  /** The node id for an OTOBO entity id (kept when valid and free). */
  of(entity: string): string {
    let id = this.map.get(entity);
    if (id) return id;
    id = this.fresh(this.pattern.test(entity) ? entity : `_${entity.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
    this.map.set(entity, id);
    return id;
  }

  fresh(base: string): string {
    let id = base.slice(0, 120);
    for (let i = 2; this.used.has(id); i++) id = `${base.slice(0, 120)}_${i}`;
    this.used.add(id);
    return id;
  }
}

/**
 * Reads an OTOBO process export.
 *
 * @example
 * const { process, warnings, unsupported } = fromOtoboYaml(fs.readFileSync('Application_for_leave.yml', 'utf8'));
 * process.key; // 'application-for-leave'
 */
export function fromOtoboYaml(text: string): OtoboImport {
  const doc = parseYaml(text);
  if (!isRecord(doc) || !isRecord(doc.Process)) {
    throw new ProcessFormatError('OTOBO_NOT_A_PROCESS', 'The YAML is not an OTOBO process export: it has no "Process" section.');
  }
  return convertOtobo(doc);
}

/**
 * Converts already parsed OTOBO export data (see `fromOtoboYaml`).
 *
 * @example
 * convertOtobo({ Process: { Name: 'Empty', Config: { Path: {} } } }).process.nodes.map((n) => n.type); // ['startEvent', 'endEvent']
 */
export function convertOtobo(doc: Record<string, unknown>): OtoboImport {
  const warnings: string[] = [];
  const unsupported: OtoboUnsupported[] = [];
  const changed: OtoboUnsupported[] = [];
  const warn = (m: string) => {
    if (!warnings.includes(m)) warnings.push(m);
  };
  const P = isRecord(doc.Process) ? doc.Process : {};
  const config = isRecord(P.Config) ? P.Config : {};
  const activities = isRecord(doc.Activities) ? doc.Activities : {};
  const dialogEntities = isRecord(doc.ActivityDialogs) ? doc.ActivityDialogs : {};
  const transitionEntities = isRecord(doc.Transitions) ? doc.Transitions : {};
  const actionEntities = isRecord(doc.TransitionActions) ? doc.TransitionActions : {};
  const path = isRecord(config.Path) ? config.Path : {};
  const ids = new Ids();

  const name = str(P.Name).trim() || str(P.EntityID) || 'OTOBO process';
  const activityOrder = [...new Set([...strings(P.Activities), ...Object.keys(path)])].filter((a) => {
    if (isRecord(activities[a])) return true;
    unsupported.push({ id: a, type: 'Activity', reason: 'the activity is used by the process but missing from the export' });
    return false;
  });

  // Activities no path reaches from the start activity never run; they are left out and reported.
  const startActivity = str(config.StartActivity);
  if (activityOrder.includes(startActivity)) {
    const reached = new Set([startActivity]);
    const queue = [startActivity];
    while (queue.length) {
      const out = path[queue.shift()!];
      for (const step of isRecord(out) ? Object.values(out) : []) {
        const to = isRecord(step) ? str(step.ActivityEntityID) : '';
        if (to && !reached.has(to)) {
          reached.add(to);
          queue.push(to);
        }
      }
    }
    for (const a of activityOrder.filter((x) => !reached.has(x))) {
      const aName = str((activities[a] as Record<string, unknown>).Name) || a;
      unsupported.push({ id: a, type: 'Activity', reason: `no path leads to "${aName}" from the start activity, so it was left out` });
    }
    activityOrder.splice(0, activityOrder.length, ...activityOrder.filter((x) => reached.has(x)));
  }

  const dialog = (entityId: string, where: string): Dialog | undefined => {
    if (!isRecord(dialogEntities[entityId])) {
      unsupported.push({ id: entityId, type: 'ActivityDialog', reason: `the dialog used by ${where} is missing from the export` });
      return undefined;
    }
    return convertDialog(dialogEntities[entityId], warnings);
  };

  // Nodes: a start event, the activities, end events where OTOBO just stops.
  const nodes: ProcessNode[] = [];
  const transitions: Transition[] = [];
  const startId = ids.fresh('StartEvent');
  nodes.push({ id: startId, type: 'startEvent', name: 'Start' });
  const nodeOf = new Map<string, string>();
  const addedEnds: Array<[activity: string, end: string]> = [];
  for (const a of activityOrder) ids.of(a);
  for (const a of activityOrder) {
    const entity = activities[a] as Record<string, unknown>;
    const aName = str(entity.Name) || a;
    const cfg = isRecord(entity.Config) ? entity.Config : {};
    const dialogIds = isRecord(cfg.ActivityDialog) || Array.isArray(cfg.ActivityDialog) ? numbered(cfg.ActivityDialog).map(str) : strings(entity.ActivityDialogs);
    const outgoing = isRecord(path[a]) ? Object.keys(path[a] as object) : [];
    const id = ids.of(a);
    nodeOf.set(a, id);
    if (!dialogIds.length && !outgoing.length) {
      nodes.push({ id, type: 'endEvent', name: aName });
      continue;
    }
    const dialogs = dialogIds.map((d) => dialog(d, `activity "${aName}"`)).filter((d): d is Dialog => !!d);
    if (!dialogs.length) warn(`Activity "${aName}" has no dialog; its user task shows an empty form.`);
    const [first, ...rest] = dialogs;
    const task: ProcessNode = { id, type: 'userTask', name: aName, dialog: first ?? { interfaces: ['agent'], fields: [] } };
    if (rest.length) task.alternativeDialogs = rest;
    nodes.push(task);
    if (!outgoing.length) {
      const end = ids.fresh(`End_${id}`);
      nodes.push({ id: end, type: 'endEvent', name: 'End' });
      addedEnds.push([id, end]);
    }
  }

  // Start: the start dialog and the first transition.
  const startDialogId = str(config.StartActivityDialog);
  const startDialog = startDialogId ? dialog(startDialogId, 'the start') : undefined;
  const start: Process['start'] = { interfaces: startDialog?.interfaces ?? ['agent'] };
  if (startDialog) start.dialog = startDialog;
  const firstNode = nodeOf.get(startActivity);
  if (firstNode) transitions.push({ id: ids.fresh(`${startId}_flow`), from: startId, to: firstNode });
  else {
    if (startActivity) warn(`The start activity "${startActivity}" is missing; the process goes straight to its end.`);
    const end = ids.fresh('EndEvent');
    nodes.push({ id: end, type: 'endEvent', name: 'End' });
    transitions.push({ id: ids.fresh(`${startId}_flow`), from: startId, to: end });
  }

  // Transitions: per activity, ordered by transition entity id as OTOBO evaluates them.
  const uses = new Map<string, number>();
  for (const a of activityOrder) for (const t of isRecord(path[a]) ? Object.keys(path[a] as object) : []) uses.set(t, (uses.get(t) ?? 0) + 1);
  for (const a of activityOrder) {
    const out = isRecord(path[a]) ? (path[a] as Record<string, unknown>) : {};
    const sorted = Object.keys(out).sort();
    sorted.forEach((tEntity, i) => {
      const step = isRecord(out[tEntity]) ? (out[tEntity] as Record<string, unknown>) : {};
      const target = nodeOf.get(str(step.ActivityEntityID));
      if (!target) {
        unsupported.push({ id: tEntity, type: 'Transition', reason: `it leads from "${a}" to "${str(step.ActivityEntityID)}", which is not in the export` });
        return;
      }
      const entity = isRecord(transitionEntities[tEntity]) ? (transitionEntities[tEntity] as Record<string, unknown>) : undefined;
      const t: Transition = { id: ids.fresh(uses.get(tEntity)! > 1 ? `${tEntity}_${nodeOf.get(a)}` : tEntity), from: nodeOf.get(a)!, to: target };
      const tName = str(entity?.Name);
      if (tName) t.name = tName;
      if (sorted.length > 1) t.order = i + 1;
      if (!entity) {
        t.condition = { unsupported: { source: 'otobo', reason: 'the transition is missing from the export' } };
        unsupported.push({ id: tEntity, type: 'Transition', reason: 'the transition is missing from the export' });
      } else {
        const c = convertCondition(entity.Config, `Transition "${tName || tEntity}"`);
        c.warnings.forEach(warn);
        if (c.condition) t.condition = c.condition;
        if (c.condition && 'unsupported' in c.condition) unsupported.push({ id: tEntity, type: 'Transition', reason: `the condition ${c.condition.unsupported.reason}` });
      }
      const actions: Action[] = [];
      for (const taEntity of strings(step.TransitionAction)) {
        if (!isRecord(actionEntities[taEntity])) {
          unsupported.push({ id: taEntity, type: 'TransitionAction', reason: 'the transition action is missing from the export' });
          continue;
        }
        const r = convertAction(actionEntities[taEntity]);
        r.warnings.forEach(warn);
        if (r.action.type === 'Unsupported') unsupported.push({ id: taEntity, type: 'TransitionAction', reason: r.action.reason });
        actions.push(r.action);
      }
      if (actions.length) t.actions = actions;
      transitions.push(t);
    });
  }
  for (const [task, end] of addedEnds) transitions.push({ id: ids.fresh(`${end}_flow`), from: task, to: end });
  const startCheck = firstNode && startDialog ? checkAfterStartDialog(nodes, transitions, ids, startId, firstNode, changed, startActivity, addedEnds.some(([task]) => task === firstNode)) : undefined;

  const process: Process = { format: 'process/1', key: slugify(name, slugify(str(P.EntityID), 'otobo-process')), name } as Process;
  const description = str(config.Description).trim();
  if (description) process.description = description;
  const state = STATES[str(P.State).toLowerCase().replace(/[^a-z]/g, '')];
  if (state) process.state = state;
  process.start = start;
  process.nodes = nodes;
  process.transitions = transitions;
  const diagram = layout(P.Layout, nodeOf, startId, firstNode, addedEnds, nodes, startCheck);
  if (diagram) process.diagram = diagram;
  const seen = new Set<string>();
  const distinct = unsupported.filter((u) => {
    const k = `${u.type}|${u.id}|${u.reason}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return { process, warnings, unsupported: distinct, changed };
}

/**
 * OTOBO checks the start activity's transitions right after the start dialog is submitted and moves
 * on when one holds; only otherwise does the ticket wait in the start activity. The same here: the
 * start leads to an exclusive gateway that tries copies of the start activity's transitions (same
 * order, conditions and actions) and, by default, goes to the start activity's user task. Returns the
 * gateway's id, or undefined when the start activity has no way out.
 */
function checkAfterStartDialog(
  nodes: ProcessNode[], transitions: Transition[], ids: Ids, startId: string, firstNode: string, changed: OtoboUnsupported[], startActivity: string, hasAddedEnd: boolean,
): string | undefined {
  const first = nodes.find((n) => n.id === firstNode);
  const out = transitions.filter((t) => t.from === firstNode);
  if (first?.type !== 'userTask' || !out.length || hasAddedEnd) return undefined;
  const gateway = ids.fresh('AfterStartDialog');
  nodes.splice(nodes.indexOf(first), 0, { id: gateway, type: 'exclusiveGateway', name: 'After the start dialog' } as ProcessNode);
  const startFlow = transitions.find((t) => t.from === startId)!;
  startFlow.to = gateway;
  const wait = ids.fresh(`${gateway}_wait`);
  (nodes.find((n) => n.id === gateway) as { default?: string }).default = wait;
  const copies = out.map((t) => ({ ...t, id: ids.fresh(`${t.id}_atStart`), from: gateway }));
  transitions.splice(transitions.indexOf(startFlow) + 1, 0, ...copies, { id: wait, from: gateway, to: firstNode, name: 'No transition holds yet' });
  changed.push({
    id: startActivity, type: 'Activity',
    reason: `as in OTOBO, its transitions are checked right after the start dialog (gateway "${gateway}"); the ticket waits in "${first.name ?? firstNode}" only when none holds`,
  });
  return gateway;
}

/** OTOBO's canvas positions (left/top per activity) → shapes; added events sit beside their activity. */
function layout(
  raw: unknown,
  nodeOf: Map<string, string>,
  startId: string,
  firstNode: string | undefined,
  addedEnds: Array<[string, string]>,
  nodes: ProcessNode[],
  startCheck?: string,
): Process['diagram'] {
  if (!isRecord(raw)) return undefined;
  const shapes: Record<string, Bounds> = {};
  const types = new Map(nodes.map((n) => [n.id, n.type]));
  for (const [activity, pos] of Object.entries(raw)) {
    const id = nodeOf.get(activity);
    if (!id || !isRecord(pos)) continue;
    const x = Math.round(Number(str(pos.left)) || 0);
    const y = Math.round(Number(str(pos.top)) || 0);
    shapes[id] = types.get(id) === 'endEvent' ? { x: x + 32, y: y + 22, w: 36, h: 36 } : { x, y, w: 100, h: 80 };
  }
  if (!Object.keys(shapes).length) return undefined;
  const first = firstNode ? shapes[firstNode] : undefined;
  if (first && startCheck) {
    shapes[startId] = { x: first.x - 176, y: Math.round(first.y + first.h / 2 - 18), w: 36, h: 36 };
    shapes[startCheck] = { x: first.x - 95, y: Math.round(first.y + first.h / 2 - 25), w: 50, h: 50 };
  } else if (first) shapes[startId] = { x: first.x - 86, y: Math.round(first.y + first.h / 2 - 18), w: 36, h: 36 };
  for (const [task, end] of addedEnds) {
    const t = shapes[task];
    if (t) shapes[end] = { x: t.x + t.w + 50, y: Math.round(t.y + t.h / 2 - 18), w: 36, h: 36 };
  }
  const minX = Math.min(...Object.values(shapes).map((s) => s.x));
  const minY = Math.min(...Object.values(shapes).map((s) => s.y));
  const dx = minX < 20 ? 20 - minX : 0;
  const dy = minY < 20 ? 20 - minY : 0;
  if (dx || dy) for (const s of Object.values(shapes)) Object.assign(s, { x: s.x + dx, y: s.y + dy });
  return { shapes, edges: {} };
}
