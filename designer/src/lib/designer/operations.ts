/**
 * The operations view's calls: incidents and running instances per process and version, one
 * incident's context (its ticket, read-only for administrators without queue rights; variables; the
 * nodes by name), the three ways out of an incident (retry, skip, cancel) for one or a selection,
 * and migration between versions with a dry run. Everything goes through the existing API, which
 * writes each act to the ticket history and the instance log.
 */
import { request } from '../api';
import type { Process } from '../engine';

const enc = encodeURIComponent;

export interface Incident {
  id: number;
  status: 'open' | 'resolved';
  instanceId: number;
  instanceStatus: string;
  ticketId: number;
  ticketNumber: string;
  process: string;
  version: number;
  node: string;
  nodeName: string;
  code: string;
  message: string;
  raisedAt: string;
  resolvedAt: string | null;
  resolvedHow: string | null;
  resolvedBy: string | null;
}

export interface IncidentContext {
  incident: Incident;
  ticket: { id: number; number: string; title: string; queue: { name: string }; state: { name: string }; dynamicFields: Record<string, unknown> };
  readOnly: boolean;
  variables: Record<string, unknown>;
  nodes: Array<{ id: string; name: string; type: string }>;
}

export interface RunningInstance {
  instanceId: number;
  ticketId: number;
  ticketNumber: string;
  ticketTitle: string;
  process: string;
  version: number;
  status: string;
  currentNodes: Array<{ nodeId: string; tokenId: string; status: string }>;
  createdAt: string;
}

export interface IncidentFilter {
  process?: string;
  version?: number;
  status?: 'open' | 'resolved' | 'all';
  code?: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

/** Incidents, newest first; the version filter is applied here (the API filters by process). */
export async function listIncidents(f: IncidentFilter): Promise<Incident[]> {
  const r = await request<{ items: Incident[] }>('GET', `/api/v1/incidents?${query({ process: f.process, status: f.status ?? 'open', code: f.code, limit: 500 })}`);
  return f.version ? r.items.filter((i) => i.version === f.version) : r.items;
}

export const incidentContext = (id: number): Promise<IncidentContext> => request('GET', `/api/v1/incidents/${id}/context`);

export const listRunning = async (f: { process?: string; version?: number; status?: string }): Promise<RunningInstance[]> =>
  (await request<{ items: RunningInstance[] }>('GET', `/api/v1/process-instances?${query({ process: f.process, version: f.version, status: f.status ?? 'active', limit: 500 })}`)).items;

export type IncidentAct =
  | { act: 'retry'; vars?: Record<string, unknown>; dynamicFields?: Record<string, unknown> }
  | { act: 'skip'; toNodeId: string }
  | { act: 'cancel'; reason?: string };

/** Performs `a` on one incident. */
export function actOn(id: number, a: IncidentAct): Promise<unknown> {
  if (a.act === 'retry') return request('POST', `/api/v1/incidents/${id}/retry`, { ...(a.vars ? { vars: a.vars } : {}), ...(a.dynamicFields ? { dynamicFields: a.dynamicFields } : {}) });
  if (a.act === 'skip') return request('POST', `/api/v1/incidents/${id}/skip`, { toNodeId: a.toNodeId });
  return request('POST', `/api/v1/incidents/${id}/cancel`, a.reason ? { reason: a.reason } : {});
}

/** Performs `a` on each incident in turn; answers which failed and why. */
export async function actOnAll(ids: number[], a: IncidentAct, message: (err: unknown) => string): Promise<Array<{ id: number; error: string }>> {
  const failed: Array<{ id: number; error: string }> = [];
  for (const id of ids) {
    try {
      await actOn(id, a);
    } catch (err) {
      failed.push({ id, error: message(err) });
    }
  }
  return failed;
}

export interface MigrateReport {
  dryRun: boolean;
  migrated: number;
  skipped: number;
  failed: number;
  instances: Array<{ instanceId: number; ticketId: number; result: string; reason?: string; moves: Array<{ tokenId: string; from: string; to: string }> }>;
}

export const migrate = (body: { process: string; fromVersion: number; toVersion: number; mapping: Record<string, string>; dryRun: boolean; instanceIds?: number[] }): Promise<MigrateReport> =>
  request('POST', '/api/v1/process-instances/migrate', body);

/**
 * The mapping to offer: every node of `from` whose id is not in `to` (those keep their id), with
 * the node of `to` that has the same name as the first suggestion.
 *
 * @example
 * suggestMapping(v1, v2); // { review: 'review2' } when "Review" moved to a new id
 */
export function suggestMapping(from: Process, to: Process): Record<string, string> {
  const ids = new Set(to.nodes.map((n) => n.id));
  const out: Record<string, string> = {};
  for (const n of from.nodes) {
    if (ids.has(n.id) || n.type === 'startEvent') continue;
    const same = to.nodes.find((m) => m.name && m.name === n.name && m.type === n.type);
    out[n.id] = same?.id ?? '';
  }
  return out;
}

/** A value typed in a variable editor: JSON when it parses, the text otherwise. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const showValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export { enc };

/** Marker classes by element id, as `Highlighter.show` takes them. */
export const markers = (entries: Array<[string, string[]]>): Map<string, string[]> => new Map(entries);

/** Definitions by "key@version", fetched once per page. */
export function definitionCache(load: (key: string, version: number) => Promise<Process | null>) {
  const cache = new Map<string, Promise<Process | null>>();
  return (key: string, version: number): { promise: Promise<Process | null>; fresh: boolean } => {
    const id = `${key}@${version}`;
    const hit = cache.get(id);
    if (hit) return { promise: hit, fresh: false };
    const promise = load(key, version).catch(() => null);
    cache.set(id, promise);
    return { promise, fresh: true };
  };
}
