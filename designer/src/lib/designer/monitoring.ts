/**
 * Typed client of what test mode and the monitoring overlay read: `POST /processes/{key}/simulate`
 * (a scenario against the draft or a version, in memory), `GET /processes/{key}/stats` (per node:
 * tokens now, incidents, average and p95 durations), `GET /process-instances` (instances with a
 * token at a node) and `GET /incidents` (open incidents of a process).
 */
import { request } from '../api';
import type { Scenario } from '$engine/index';

const enc = encodeURIComponent;

export type { Scenario };

export interface SimulationPathEntry {
  at: string;
  event: string;
  node?: string;
  nodeName?: string;
  transition?: string;
  why?: string;
  by?: string;
  code?: string;
  process?: string;
}

export interface SimulationReport {
  process: { key: string; version?: number };
  scenario: string;
  status: 'completed' | 'waiting' | 'running' | 'incident' | 'cancelled';
  path: SimulationPathEntry[];
  actions: Array<{ at: string; node: string; transition?: string; source: string; actions: Array<{ type: string; [k: string]: unknown }>; process?: string }>;
  calls: Array<{ at: string; node: string; kind: 'script' | 'service' | 'child'; target: string; outcome: 'result' | 'error' | 'missing'; canned: boolean; message?: string }>;
  articles: Array<{ node: string; subject?: string; body: string }>;
  ticket: Record<string, unknown>;
  vars: Record<string, unknown>;
  incidents: Array<{ at: string; node: string; code: string; message: string; resolved: boolean; process?: string }>;
  waitingAt: Array<{ node: string; wait: string }>;
  timers: Array<{ key: string; node: string; dueAt: string }>;
  steps: number;
  clock: { start: string; end: string };
  problems: Array<{ code: string; message: string; node?: string; path?: string }>;
  expectations: Array<{ what: string; ok: boolean; expected: unknown; actual: unknown }>;
  passed: boolean;
}

export interface SimulateAnswer {
  key: string;
  version: number | 'draft';
  passed: boolean;
  reports: SimulationReport[];
}

/**
 * Simulates the draft (default) or a version against an inline scenario.
 *
 * @example
 * const { reports } = await simulate('leave-request', { scenario: { name: 'approved', dialogs: [...] } });
 */
export const simulate = (key: string, body: { scenario?: Scenario; scenarioName?: string; all?: boolean; version?: number | 'draft' | 'latest' }): Promise<SimulateAnswer> =>
  request('POST', `/api/v1/processes/${enc(key)}/simulate`, body);

export interface NodeStats {
  nodeId: string;
  name: string | null;
  type: string | null;
  active: number;
  incidents: number;
  visits: number;
  avgMs: number | null;
  p95Ms: number | null;
}

export interface ProcessStats {
  process: string;
  version: number;
  from: string;
  to: string;
  instances: { active: number; incident: number; started: number; completed: number; cancelled: number; avgMs: number | null; p95Ms: number | null };
  nodes: NodeStats[];
}

/** @example await processStats('leave-request', 2); // { nodes: [{ nodeId: 'approve', active: 3, ... }] } */
export function processStats(key: string, version?: number): Promise<ProcessStats> {
  const query = version ? `?version=${version}` : '';
  return request('GET', `/api/v1/processes/${enc(key)}/stats${query}`);
}

export interface InstanceRow {
  instanceId: number;
  ticketId: number;
  ticketNumber: string;
  ticketTitle: string;
  status: 'running' | 'incident' | 'completed' | 'cancelled';
  currentNodes: Array<{ nodeId: string; tokenId: string; status: string; wait?: string }>;
  createdAt: string;
}

/** Active instances of a version with a token at `node`. */
export const instancesAt = async (key: string, version: number, node: string): Promise<InstanceRow[]> =>
  (await request<{ items: InstanceRow[] }>('GET', `/api/v1/process-instances?process=${enc(key)}&version=${version}&node=${enc(node)}&status=active&limit=100`)).items;

export interface IncidentRow {
  id: number;
  instanceId: number;
  ticketId: number;
  ticketNumber: string;
  process: string;
  version: number;
  node: string;
  nodeName: string | null;
  code: string;
  message: string;
  raisedAt: string;
}

/** Open incidents of a process (all versions; the caller filters by version and node). */
export const openIncidents = async (key: string): Promise<IncidentRow[]> =>
  (await request<{ items: IncidentRow[] }>('GET', `/api/v1/incidents?process=${enc(key)}&status=open&limit=500`)).items;

/**
 * A duration in the unit a reader takes in at a glance; null (no data) as a dash.
 *
 * @example
 * formatMs(90_000); // "90.0 s"
 * formatMs(null); // "—"
 */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}
