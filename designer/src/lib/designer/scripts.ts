/**
 * Typed client of the script library, `/api/v1/scripts` (shapes as in server/scripts/schema.ts):
 * list, read (latest or one version), create, store a new version, versions, and a trial run with
 * sample input in the sandbox.
 */
import { request } from '../api';

const BASE = '/api/v1/scripts';
const enc = encodeURIComponent;

export interface ScriptSummary {
  name: string;
  description: string;
  latestVersion: number;
  createdAt: string;
  changedAt: string;
  changedBy: string | null;
}

export interface ScriptView {
  name: string;
  description: string;
  version: number;
  source: string;
  createdAt: string;
  changedAt: string;
  changedBy: string | null;
}

export interface ScriptVersion {
  version: number;
  createdAt: string;
  createdBy: string | null;
}

export interface ScriptRunInput {
  version?: number;
  source?: string;
  ticket?: Record<string, unknown>;
  params?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  timeoutMs?: number;
}

export interface ScriptRunResult {
  ok: boolean;
  vars?: Record<string, unknown>;
  dynamicFields?: Record<string, unknown>;
  error?: { kind: string; code?: string; message: string; line?: number };
  durationMs: number;
  logs: string[];
}

/** @example await listScripts(); // [{ name: 'count-days', latestVersion: 2, ... }] */
export const listScripts = async (): Promise<ScriptSummary[]> => (await request<{ items: ScriptSummary[] }>('GET', BASE)).items;
/** @example await getScript('count-days', 1); */
export const getScript = (name: string, version?: number): Promise<ScriptView> =>
  request('GET', version ? `${BASE}/${enc(name)}/versions/${version}` : `${BASE}/${enc(name)}`);
/** @example await createScript({ name: 'x', source: 'return {}' }); */
export const createScript = (input: { name: string; source: string; description?: string }): Promise<ScriptView> => request('POST', BASE, input);
/** Stores a new version (an unchanged source stores none). */
export const saveScript = (name: string, input: { source: string; description?: string }): Promise<ScriptView> => request('PUT', `${BASE}/${enc(name)}`, input);
/** @example await listScriptVersions('count-days'); // newest first */
export const listScriptVersions = async (name: string): Promise<ScriptVersion[]> =>
  (await request<{ items: ScriptVersion[] }>('GET', `${BASE}/${enc(name)}/versions`)).items;
/** Runs a stored version or an edited `source` with sample input in the sandbox. */
export const runScript = (name: string, input: ScriptRunInput): Promise<ScriptRunResult> => request('POST', `${BASE}/${enc(name)}/run`, input);
