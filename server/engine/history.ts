/**
 * What a step leaves behind for people: each path entry of the step's log as a row of the
 * instance's own log and as a `Misc` entry (field `process`) in the ticket history, worded for
 * people, plus the actions a step applied and why a step was rolled back.
 */
import type { Kysely } from 'kysely';
import type { Process } from '../../engine/model/types';
import type { PathEntry } from '../../engine/runtime/index';
import type { DB } from '../db/schema';
import { writeHistory, type HistoryActor, type HistoryEntry } from '../history/history';

export interface LogRow {
  kind: string;
  node?: string | null;
  transition?: string | null;
  message: string;
  data?: unknown;
  actor?: string | null;
}

const nameOf = (def: Process, id: string | undefined) => {
  if (!id) return '';
  const n = def.nodes.find((x) => x.id === id);
  return n?.name ? `"${n.name}" (${id})` : `"${id}"`;
};

/** A sentence for one path entry. */
export function describe(def: Process, e: PathEntry): string {
  const node = nameOf(def, e.node);
  switch (e.ev) {
    case 'start': return `Process "${def.name}" (${def.key} v${def.version ?? '?'}) started${e.by ? ` by ${e.by}` : ''}.`;
    case 'enter': return `Entered ${node}.`;
    case 'leave': return `Left ${node}${e.tr ? ` by transition "${e.tr}"` : ''}${e.why ? ` (${e.why})` : ''}.`;
    case 'submit': return `Dialog of ${node} submitted by ${e.by ?? 'someone'}.`;
    case 'script': return e.code ? `Script task ${node} failed: ${e.why ?? e.code}.` : `Script task ${node} ${e.why ?? 'finished'}.`;
    case 'service': return e.code ? `Service task ${node} failed with ${e.code}: ${e.why ?? ''}`.trim() : `Service task ${node} answered${e.why ? ` (${e.why})` : ''}.`;
    case 'timer': return `Timer ${node} ${e.why ?? 'fired'}.`;
    case 'child': return e.code ? `The process called by ${node} was cancelled.` : `The process called by ${node} completed.`;
    case 'incident': return `Incident ${e.code ?? ''} at ${node}: ${e.why ?? ''}`.trim();
    case 'resolved': return `Incident ${e.code ?? ''} at ${node} resolved (${e.why ?? ''}).`;
    case 'end': return `Reached ${node}${e.why ? ` (${e.why})` : ''}.`;
    case 'complete': return `Process "${def.name}" completed.`;
    case 'cancel': return `Process cancelled${e.by ? ` by ${e.by}` : ''}${e.why ? `: ${e.why}` : ''}.`;
    case 'retry': return `Retried ${node}${e.by ? ` by ${e.by}` : ''}.`;
    case 'skip': return `Skipped ${node} ${e.why ?? ''}.`.trim();
  }
}

/** The log rows of a step's path entries. */
export function pathRows(def: Process, log: PathEntry[], actor: string | null): LogRow[] {
  return log.map((e) => ({ kind: e.ev, node: e.node ?? null, transition: e.tr ?? null, message: describe(def, e), data: e, actor: e.by ?? actor }));
}

/**
 * Writes rows to the instance log and the ticket history in the caller's transaction.
 *
 * @example
 * await writeStepRecords(trx, { instanceId, ticketId, rows, by: { kind: 'system', id: null }, at });
 */
export async function writeStepRecords(db: Kysely<DB>, r: { instanceId: number; ticketId: number; rows: LogRow[]; by: HistoryActor; at: Date; processKey: string }): Promise<void> {
  if (!r.rows.length) return;
  await db
    .insertInto('process_instance_log')
    .values(r.rows.map((x) => ({
      instance_id: r.instanceId,
      at: r.at,
      kind: x.kind,
      node: x.node ?? null,
      transition: x.transition ?? null,
      message: x.message,
      data: x.data === undefined ? null : JSON.stringify(x.data),
      actor: x.actor ?? null,
    })))
    .execute();
  const history: HistoryEntry[] = r.rows.map((x) => ({
    ticketId: r.ticketId,
    type: 'Misc',
    field: 'process',
    new: x.node ?? null,
    message: `[${r.processKey}] ${x.message}`,
    data: { instanceId: r.instanceId, kind: x.kind, ...(x.node ? { node: x.node } : {}), ...(x.transition ? { transition: x.transition } : {}) },
  }));
  await writeHistory(db, history, r.by, r.at);
}
