/**
 * Typed client of `/api/v1/processes` (shapes as in server/processes/schema.ts) and of the
 * catalogue lists the designer offers in pickers (dynamic fields, queues, states, ...).
 */
import type { Problem, Process, ProcessState } from './engine';
import { download, request, upload } from './api';

const BASE = '/api/v1/processes';
const enc = encodeURIComponent;

export type { Problem, Process, ProcessState };

/** One row of the process list. */
export interface ProcessSummary {
  key: string;
  name: string;
  latestVersion: number | null;
  state: ProcessState | null;
  deployedAt: string | null;
  hasDraft: boolean;
  /** The draft differs from the latest version. */
  draftChanged: boolean;
  draftChangedAt: string | null;
  runningInstances: number;
  incidents: number;
}

export interface VersionSummary {
  version: number;
  name: string;
  state: ProcessState;
  checksum: string;
  deployedAt: string;
  deployedBy: string | null;
}

export interface VersionView extends VersionSummary {
  key: string;
  definition: Process;
}

/** A named thing a process uses that does not exist here, with every JSON path using it. */
export interface ReferenceItem {
  kind: string;
  name: string;
  paths: string[];
  creatable?: boolean;
}

export interface ReferenceReport {
  missing: ReferenceItem[];
  unchecked: ReferenceItem[];
}

export interface DraftView {
  key: string;
  draft: Process | null;
  changedAt: string | null;
  problems: Problem[];
}

export interface DraftSaved {
  key: string;
  changedAt: string;
  problems: Problem[];
}

export interface Created {
  key: string;
  problems: Problem[];
}

export interface Deployed {
  key: string;
  version: number;
  state: ProcessState;
  created: ReferenceItem[];
}

export interface ImportResult {
  key: string;
  name: string;
  format: 'json' | 'bpmn' | 'otobo';
  stored: boolean;
  version: number | null;
  problems: Problem[];
  references: ReferenceReport;
  created: ReferenceItem[];
  warnings: string[];
  unsupported: Array<{ id: string; type: string; reason: string }>;
  /** Elements converted with a change in behaviour. */
  changed: Array<{ id: string; type: string; reason: string }>;
  /** What the import does (or would do). */
  outcome: 'create' | 'new-version' | 'key-conflict' | 'refused';
  reasons: string[];
  existing: { key: string; name: string; latestVersion: number | null } | null;
  suggestedKey: string | null;
  /** Every process of the file in import order (called ones first), each with its own outcome; the last is the one above. */
  processes?: Array<Omit<ImportResult, 'processes'>>;
}

export interface ImportOptions {
  dryRun?: boolean;
  createMissing?: boolean;
  deploy?: boolean;
  /** When the key is taken: a new version of that process, or another key. */
  onConflict?: 'new-version' | 'new-key';
  key?: string;
}

export const listProcesses = async (): Promise<ProcessSummary[]> => (await request<{ items: ProcessSummary[] }>('GET', `${BASE}`)).items;
export const createProcess = (doc: Process): Promise<Created> => request('POST', BASE, doc);
export interface ValidationView {
  valid: boolean;
  problems: Problem[];
  references: ReferenceReport;
}

/** The server's validation: the same rules as `validateProcess`, plus the references checked here. */
export const validateOnServer = (doc: Process): Promise<ValidationView> => request('POST', `${BASE}/validate`, doc);
export const getDraft = (key: string): Promise<DraftView> => request('GET', `${BASE}/${enc(key)}/draft`);
export const saveDraft = (key: string, doc: Process): Promise<DraftSaved> => request('PUT', `${BASE}/${enc(key)}/draft`, doc);
/** Deploys the draft; 409 DEPLOY_UNCHANGED when it is identical to the latest version, unless `force`. */
export const deployProcess = (key: string, createMissing = false, force = false): Promise<Deployed> =>
  request('POST', `${BASE}/${enc(key)}/deploy`, { createMissing, ...(force ? { force } : {}) });
export const listVersions = async (key: string): Promise<VersionSummary[]> =>
  (await request<{ items: VersionSummary[] }>('GET', `${BASE}/${enc(key)}/versions`)).items;
export const getVersion = (key: string, version: number): Promise<VersionView> => request('GET', `${BASE}/${enc(key)}/versions/${version}`);
export const setVersionState = (key: string, version: number, state: ProcessState): Promise<VersionView> =>
  request('PATCH', `${BASE}/${enc(key)}/versions/${version}`, { state });

/** The content type the server reads a process file by, from its name. */
export function fileContentType(name: string): string {
  if (/\.(bpmn|xml)$/i.test(name)) return 'application/xml';
  if (/\.ya?ml$/i.test(name)) return 'application/yaml';
  return 'application/json';
}

/** Imports a process file (JSON, BPMN or OTOBO YAML); `dryRun` only reports. */
export function importProcessFile(content: Blob | string, contentType: string, options: ImportOptions = {}): Promise<ImportResult> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(options)) if (v !== undefined) query.set(k, String(v));
  return upload('POST', `${BASE}/import?${query}`, content, contentType);
}

/** Downloads an export of the latest version (or `draft`) as JSON or BPMN. */
export function exportProcess(key: string, format: 'json' | 'bpmn', version: number | 'latest' | 'draft' = 'latest') {
  return download(`${BASE}/${enc(key)}/export?format=${format}&version=${version}`);
}

/** A dynamic field definition (the parts the designer uses). */
export interface DynamicFieldInfo {
  id: number;
  name: string;
  label: string;
  fieldType: string;
  objectType: 'ticket' | 'article';
  valid: boolean;
  config?: { possibleValues?: Record<string, string> };
}

/** What creating a dynamic field takes (`POST /api/v1/dynamic-fields`). */
export interface NewDynamicField {
  name: string;
  label: string;
  fieldType: string;
  config?: { possibleValues?: Record<string, string> };
  customerVisible?: boolean;
}

/** Creates a ticket dynamic field (administrators); a bad name or type is an ApiError naming it. */
export const createDynamicField = (field: NewDynamicField): Promise<DynamicFieldInfo> =>
  request<DynamicFieldInfo>('POST', '/api/v1/dynamic-fields', { ...field, objectType: 'ticket' });

export const listDynamicFields = async (): Promise<DynamicFieldInfo[]> =>
  (await request<{ items: DynamicFieldInfo[] }>('GET', '/api/v1/dynamic-fields?perPage=1000')).items;

/** Names of a catalogue (`queues`, `states`, `priorities`, `types`) for pickers. */
export async function listNames(catalogue: 'queues' | 'states' | 'priorities' | 'types'): Promise<string[]> {
  const answer = await request<{ items: Array<{ name: string }> }>('GET', `/api/v1/${catalogue}?perPage=1000`);
  return answer.items.map((i) => i.name);
}

/** Saves a downloaded file in the browser. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
