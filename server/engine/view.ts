/** The process view of a ticket: where its instance is, its incidents, the caller's open dialogs and the path taken. */
import { localized } from '../i18n/request';
import type { Kysely } from 'kysely';
import type { I18n, Process } from '../../engine/model/types';
import type { InstanceState, PathEntry } from '../../engine/runtime/index';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { childFamily, type ChildInstanceView } from './child-instances';
import { customerStatus, customerSteps, type CustomerProcessView } from './customer-view';
import { dialogFor, dialogView, interfaceOf, openTasks, type DialogView } from './dialogs';
import type { InstanceRow } from './runner';

export interface PathView {
  at: string;
  event: PathEntry['ev'];
  node?: string;
  tokenId?: string;
  transition?: string;
  why?: string;
  by?: string;
  code?: string;
}

export interface ProcessView {
  instanceId: number;
  ticketId: number;
  process: string;
  processName: string;
  version: number;
  status: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  currentNodes: Array<{ nodeId: string; name: string; tokenId: string; status: string; wait?: string }>;
  incidents: Array<{ tokenId: string; nodeId: string; code: string; message: string; at: string }>;
  dialogs: DialogView[];
  /** The instances its call activities started (all depths), with their incidents. */
  children: ChildInstanceView[];
  path: PathView[];
  /** Older path entries not kept in the state (the instance log has them all). */
  pathDropped: number;
  /** The nodes' and transitions' names in the reader's language, by id. */
  names: Record<string, string>;
}

export const parseState = (v: unknown): InstanceState => (typeof v === 'string' ? JSON.parse(v) : v) as InstanceState;

export function pathView(e: PathEntry): PathView {
  return {
    at: new Date(e.at).toISOString(),
    event: e.ev,
    ...(e.node ? { node: e.node } : {}),
    ...(e.tok ? { tokenId: e.tok } : {}),
    ...(e.tr ? { transition: e.tr } : {}),
    ...(e.why ? { why: e.why } : {}),
    ...(e.by ? { by: e.by } : {}),
    ...(e.code ? { code: e.code } : {}),
  };
}

/**
 * Builds the view for the caller (`dialogs` lists only what the caller's interface may answer);
 * customer users get the customer view (labelled steps, no internals).
 *
 * @example
 * const view = await processView(db, access, instanceRow, definition);
 */
export async function processView(db: Kysely<DB>, access: Access, inst: InstanceRow, def: Process): Promise<ProcessView | CustomerProcessView> {
  const state = parseState(inst.state);
  const iface = interfaceOf(access);
  const dialogs: DialogView[] = [];
  for (const { node, tokenId } of openTasks(def, state)) {
    const dialog = dialogFor(node, iface);
    if (dialog) dialogs.push({ ...(await dialogView(db, access, node, tokenId, dialog)), instanceId: inst.id });
  }
  const family = await childFamily(db, access, inst);
  dialogs.push(...family.dialogs);
  if (iface === 'customer') {
    return {
      view: 'customer',
      instanceId: inst.id,
      ticketId: inst.ticket_id,
      processName: localized(def, 'name') ?? def.name,
      status: customerStatus(state.status),
      createdAt: inst.created_at.toISOString(),
      completedAt: inst.completed_at ? inst.completed_at.toISOString() : null,
      steps: customerSteps(def, state),
      dialogs,
    };
  }
  const name = (id: string) => {
    const node = def.nodes.find((n) => n.id === id);
    return (node && localized(node, 'name')) ?? id;
  };
  return {
    instanceId: inst.id,
    ticketId: inst.ticket_id,
    process: inst.process_key,
    processName: localized(def, 'name') ?? def.name,
    version: inst.process_version,
    status: state.status,
    createdAt: inst.created_at.toISOString(),
    updatedAt: inst.updated_at.toISOString(),
    completedAt: inst.completed_at ? inst.completed_at.toISOString() : null,
    currentNodes: state.tokens.map((t) => ({ nodeId: t.nodeId, name: name(t.nodeId), tokenId: t.id, status: t.status, ...(t.wait ? { wait: t.wait } : {}) })),
    incidents: state.tokens.flatMap((t) => (t.incident ? [{ tokenId: t.id, nodeId: t.nodeId, code: t.incident.code, message: t.incident.message, at: new Date(t.incident.at).toISOString() }] : [])),
    dialogs,
    children: family.children,
    path: state.path.map(pathView),
    pathDropped: state.dropped ?? 0,
    names: localNames(def),
  };
}

/** The names of the definition's nodes and transitions in the reader's language, by id (unnamed ones left out). */
function localNames(def: Process): Record<string, string> {
  const out: Record<string, string> = {};
  for (const el of [...def.nodes, ...def.transitions] as Array<{ id: string; name?: string; i18n?: I18n }>) {
    const name = localized(el, 'name');
    if (name) out[el.id] = name;
  }
  return out;
}
