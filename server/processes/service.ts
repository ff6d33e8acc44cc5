/**
 * Process lifecycle: drafts that may be saved invalid, deploys that must validate and must find every
 * reference (or create the missing ones when asked), immutable numbered versions with a state
 * (active / inactive / fadeaway), import from JSON / BPMN / OTOBO YAML, export, and diff.
 * Knows nothing about HTTP; the CLI and the routes both call it.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  canonicalProcess, collectReferences, diffProcesses, exportProcess, importProcess, isDeployable, sizeProblems, stringifyProcess, validateProcess,
  type Problem, type Process, type ProcessFileFormat,
} from '../../engine/index';
import type { Access } from '../access/access';
import type { DB, ProcessState } from '../db/schema';
import { BadRequest, Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { fromEngineError, MissingReferences, ProcessInvalid } from './errors';
import { processRepo } from './repo';
import { checkReferences, createMissing, type MissingReference, type ReferenceReport } from './references';

export interface ValidationReport {
  valid: boolean;
  problems: Problem[];
  references: ReferenceReport;
}

export interface ImportOptions {
  contentType?: string;
  /** Create missing queues, states, dynamic fields ... instead of refusing. */
  createMissing?: boolean;
  /** Deploy the imported process as a new version. */
  deploy?: boolean;
  /** Only report what would happen; store nothing. */
  dryRun?: boolean;
}

export interface ImportResult {
  key: string;
  name: string;
  format: ProcessFileFormat;
  stored: boolean;
  version: number | null;
  problems: Problem[];
  references: ReferenceReport;
  created: MissingReference[];
  warnings: string[];
  unsupported: Array<{ id: string; type: string; reason: string }>;
}

const checksum = (json: string) => createHash('sha256').update(json).digest('hex');

function asProcessObject(doc: unknown, path = '/'): Record<string, unknown> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new BadRequest('a process must be a JSON object', path);
  assertProcessSize(doc);
  return doc as Record<string, unknown>;
}

/** Refuses (400 `PROCESS_TOO_LARGE`) a process with more nodes or transitions than the limits, before any costly work. */
function assertProcessSize(doc: object): void {
  const [first] = sizeProblems(doc);
  if (first) throw new BadRequest(first.message, first.path, { problems: [first] }, 'PROCESS_TOO_LARGE');
}

export class ProcessService {
  private readonly db: Kysely<DB>;

  constructor(private readonly services: Services) {
    this.db = services.database.db;
  }

  private by(access: Access): number | null {
    return access.actor?.kind === 'agent' ? access.actor.id : null;
  }

  async list(access: Access) {
    access.requireAgent();
    const [rows, running, incidents] = await Promise.all([
      processRepo.list(this.db),
      // Few rows: only instances still running or stuck (index on status, process_key).
      this.db.selectFrom('process_instances').select(['process_key', (eb) => eb.fn.countAll<string>().as('n')]).where('status', 'in', ['running', 'incident']).groupBy('process_key').execute(),
      // Open incidents only (partial index).
      this.db.selectFrom('process_incidents').select(['process_key', (eb) => eb.fn.countAll<string>().as('n')]).where('resolved_at', 'is', null).groupBy('process_key').execute(),
    ]);
    const count = (list: Array<{ process_key: string; n: string | number | bigint }>) => new Map(list.map((r) => [r.process_key, Number(r.n)]));
    const runningBy = count(running);
    const incidentsBy = count(incidents);
    return rows.map((r) => ({
      key: r.key,
      name: r.name,
      latestVersion: r.latest_version ?? null,
      state: r.latest_state ?? null,
      deployedAt: r.latest_deployed_at?.toISOString() ?? null,
      hasDraft: r.has_draft,
      draftChanged: r.draft_differs,
      draftChangedAt: r.draft_changed_at?.toISOString() ?? null,
      runningInstances: runningBy.get(r.key) ?? 0,
      incidents: incidentsBy.get(r.key) ?? 0,
    }));
  }

  /** Schema, semantic and reference checks of a document, without storing anything. */
  async validate(doc: unknown, db: Kysely<DB> = this.db): Promise<ValidationReport> {
    const problems = validateProcess(doc);
    const key = (doc as { key?: unknown } | null)?.key;
    const references = await checkReferences(db, collectReferences(doc), typeof key === 'string' ? key : undefined);
    return { valid: isDeployable(problems) && references.missing.length === 0, problems, references };
  }

  /** Creates a process from a (possibly unfinished) document as its draft. */
  async create(access: Access, doc: unknown) {
    await access.assertAdmin();
    const obj = asProcessObject(doc);
    if (typeof obj.key !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(obj.key)) throw new BadRequest('key must be a slug like "leave-request"', '/key');
    if (typeof obj.name !== 'string' || !obj.name.trim()) throw new BadRequest('name is required', '/name');
    const key = obj.key;
    await this.db.transaction().execute(async (trx) => {
      if (await processRepo.get(trx, key)) throw new Conflict(`a process with the key "${key}" already exists`, '/key', 'DUPLICATE');
      await processRepo.insert(trx, { key, name: obj.name as string, draft: JSON.stringify(obj), now: this.services.now(), by: this.by(access) });
    });
    return { key, problems: validateProcess(obj) };
  }

  private async mustGet(key: string, db: Kysely<DB> = this.db) {
    const p = await processRepo.get(db, key);
    if (!p) throw new NotFound(`process "${key}"`, 'key');
    return p;
  }

  async getDraft(access: Access, key: string) {
    await access.assertAdmin();
    const p = await this.mustGet(key);
    const draft = p.draft ?? (await processRepo.version(this.db, key, 'latest'))?.definition ?? null;
    return { key, draft, changedAt: p.draft_changed_at?.toISOString() ?? null, problems: draft ? validateProcess(draft) : [] };
  }

  /** Saves the draft as it is, valid or not (the designer autosaves work in progress). */
  async saveDraft(access: Access, key: string, doc: unknown) {
    await access.assertAdmin();
    const obj = asProcessObject(doc);
    if (obj.key !== undefined && obj.key !== key) throw new BadRequest(`the draft's key "${String(obj.key)}" is not "${key}"`, '/key');
    const draft: Record<string, unknown> = { ...obj, key };
    await this.db.transaction().execute(async (trx) => {
      const p = await this.mustGet(key, trx);
      const name = typeof draft.name === 'string' && draft.name.trim() ? draft.name : p.name;
      await processRepo.saveDraft(trx, key, JSON.stringify(draft), name, this.services.now(), this.by(access));
    });
    return { key, changedAt: this.services.now().toISOString(), problems: validateProcess(draft) };
  }

  /**
   * Deploys the draft (or `doc`, when given) as the next version, state active. Refuses with every
   * problem when it does not validate or names something missing (unless `createMissing`).
   */
  async deploy(access: Access, key: string, opts: { createMissing?: boolean; doc?: unknown } = {}) {
    await access.assertAdmin();
    return this.db.transaction().execute(async (trx) => {
      const p = await this.mustGet(key, trx);
      const source = opts.doc ?? p.draft;
      if (!source) throw new Conflict(`process "${key}" has no draft to deploy`, undefined, 'NO_DRAFT');
      const { version, created } = await this.deployInTrx(trx, access, key, source, opts.createMissing ?? false);
      return { key, version, state: 'active' as const, created };
    });
  }

  private async deployInTrx(trx: Kysely<DB>, access: Access, key: string, source: unknown, createMissingRefs: boolean) {
    const obj = asProcessObject(source);
    if (obj.key !== key) throw new BadRequest(`the process's key "${String(obj.key)}" is not "${key}"`, '/key');
    const problems = validateProcess(obj);
    if (!isDeployable(problems)) throw new ProcessInvalid(problems);
    const report = await checkReferences(trx, collectReferences(obj), key);
    let created: MissingReference[] = [];
    if (report.missing.length) {
      if (!createMissingRefs || report.missing.some((m) => !m.creatable)) throw new MissingReferences(report);
      created = await createMissing(trx, report.missing, access, this.services.now());
    }
    const version = await processRepo.nextVersion(trx, key);
    const definition = canonicalProcess({ ...(obj as unknown as Process), version, state: 'active' });
    const json = stringifyProcess(definition);
    await processRepo.insertVersion(trx, {
      key, version, name: definition.name, definition: json, state: 'active', checksum: checksum(json), now: this.services.now(), by: this.by(access),
    });
    return { version, created };
  }

  async versions(access: Access, key: string) {
    access.requireAgent();
    await this.mustGet(key);
    const rows = await processRepo.versions(this.db, key);
    return rows.map((r) => ({
      version: r.version, name: r.name, state: r.state, checksum: r.checksum,
      deployedAt: r.deployed_at.toISOString(), deployedBy: r.deployed_by_login ?? null,
    }));
  }

  async version(access: Access, key: string, version: number | 'latest') {
    access.requireAgent();
    const v = await processRepo.version(this.db, key, version);
    if (!v) throw new NotFound(`version ${version} of process "${key}"`, 'version');
    return {
      key, version: v.version, name: v.name, state: v.state, checksum: v.checksum,
      deployedAt: v.deployed_at.toISOString(), deployedBy: v.deployed_by_login ?? null, definition: v.definition as Process,
    };
  }

  async setState(access: Access, key: string, version: number, state: ProcessState) {
    await access.assertAdmin();
    const res = await processRepo.setState(this.db, key, version, state);
    if (!res.numUpdatedRows) throw new NotFound(`version ${version} of process "${key}"`, 'version');
    return this.version(access, key, version);
  }

  /** Exports the draft, the latest or a given version as canonical JSON or BPMN XML. */
  async export(access: Access, key: string, which: number | 'latest' | 'draft', format: 'json' | 'bpmn'): Promise<string> {
    let doc: unknown;
    if (which === 'draft') doc = (await this.getDraft(access, key)).draft;
    else doc = (await this.version(access, key, which)).definition;
    if (!doc) throw new NotFound(`process "${key}" has nothing to export`);
    if (format === 'bpmn') {
      const problems = validateProcess(doc);
      if (!isDeployable(problems)) throw new ProcessInvalid(problems);
    }
    return exportProcess(doc as Process, format);
  }

  async diff(access: Access, key: string, a: number | 'draft', b: number | 'draft') {
    const load = async (w: number | 'draft') => (w === 'draft' ? (await this.getDraft(access, key)).draft : (await this.version(access, key, w)).definition);
    return diffProcesses((await load(a)) as Process, (await load(b)) as Process);
  }

  /**
   * Imports a JSON, BPMN or OTOBO YAML file: converts and validates it, checks its references, and —
   * unless something blocks it — stores it as the draft of its key (creating the process) and
   * optionally deploys it. Nothing is stored when it fails or on a dry run.
   */
  async import(access: Access, input: string | Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
    await access.assertAdmin();
    let imported: Awaited<ReturnType<typeof importProcess>>;
    try {
      imported = await importProcess(input, { contentType: opts.contentType });
    } catch (e) {
      throw fromEngineError(e);
    }
    const doc = imported.process;
    const key = typeof doc.key === 'string' ? doc.key : '';
    const references = await checkReferences(this.db, imported.references, key);
    const result: ImportResult = {
      key, name: doc.name, format: imported.format, stored: false, version: null, problems: imported.problems, references,
      created: [], warnings: imported.warnings, unsupported: imported.unsupported,
    };
    if (opts.dryRun) return result;
    assertProcessSize(doc);
    if (!key) throw new ProcessInvalid(imported.problems);
    if (opts.deploy && !isDeployable(imported.problems)) throw new ProcessInvalid(imported.problems);
    if (references.missing.length && !(opts.createMissing && references.missing.every((m) => m.creatable))) throw new MissingReferences(references);
    await this.db.transaction().execute(async (trx) => {
      if (references.missing.length) result.created = await createMissing(trx, references.missing, access, this.services.now());
      const draft = JSON.stringify(doc);
      if (await processRepo.get(trx, key)) await processRepo.saveDraft(trx, key, draft, doc.name, this.services.now(), this.by(access));
      else await processRepo.insert(trx, { key, name: doc.name, draft, now: this.services.now(), by: this.by(access) });
      if (opts.deploy) result.version = (await this.deployInTrx(trx, access, key, doc, false)).version;
    });
    result.stored = true;
    result.references = await checkReferences(this.db, imported.references, key);
    return result;
  }
}
