/**
 * Process lifecycle: drafts that may be saved invalid, deploys that must validate and must find every
 * reference (or create the missing ones when asked), immutable numbered versions with a state
 * (active / inactive / fadeaway), import from JSON / BPMN / OTOBO YAML, export, and diff.
 * Knows nothing about HTTP; the CLI and the routes both call it.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  canonicalProcess, codeProblems, collectReferences, diffProcesses, exportProcess, importProcess, isDeployable, sizeProblems, stringifyProcess, validateProcess,
  type Problem, type Process, type ProcessFileFormat, type ProcessImport, type Reference,
} from '../../engine/index';
import type { Access } from '../access/access';
import type { DB, ProcessState } from '../db/schema';
import { BadRequest, Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { fromEngineError, KeyConflict, MissingReferences, ProcessInvalid } from './errors';
import { processRepo } from './repo';
import { simulationSandbox } from './sandbox';
import { checkReferences, createMissing, describeMissing, type MissingReference, type ReferenceReport } from './references';

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
  /**
   * What to do when a process with the file's key exists: `new-version` makes the file the new draft
   * (and version, with `deploy`) of it; `new-key` imports it under `key`, or under a free key offered
   * in the report. Without a choice such an import is refused (409 `KEY_CONFLICT`).
   */
  onConflict?: 'new-version' | 'new-key';
  /** Import under this key instead of the file's own. */
  key?: string;
}

/** What an import does (or, on a dry run, would do). */
export type ImportOutcome = 'create' | 'new-version' | 'key-conflict' | 'refused';

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
  /** Elements converted with a change in behaviour (a dropped default flow, a plain start for a timer start, ...). */
  changed: Array<{ id: string; type: string; reason: string }>;
  outcome: ImportOutcome;
  /** Why it is refused, or what the key conflict is. */
  reasons: string[];
  /** The process already stored under the key, when there is one. */
  existing: { key: string; name: string; latestVersion: number | null } | null;
  /** A free key to import under instead, when the key is taken. */
  suggestedKey: string | null;
  /**
   * Every process of the file in the order they are imported (called processes before their callers),
   * each with its own outcome; the last one is the process this result describes. A file imports
   * whole or not at all: when one of them is refused or in conflict, so is the file (`outcome`).
   */
  processes: ProcessImportResult[];
}

/** The import of one process of a file. */
export type ProcessImportResult = Omit<ImportResult, 'processes'>;

/** One process of a file on its way in: its document, the key it gets, and what exists under it. */
interface ImportPart {
  imported: ProcessImport;
  doc: Process;
  key: string;
  existing: ImportResult['existing'];
  suggestedKey: string | null;
}

const KEY_RE = /^[a-z0-9][a-z0-9-]*$/;

/**
 * `validateProcess` plus the code check: every expression condition and inline script compiled (not
 * run) in the sandbox, so what cannot run is refused at deploy instead of failing at run time.
 */
async function problemsOf(doc: unknown, known?: Problem[]): Promise<Problem[]> {
  const problems = known ?? validateProcess(doc);
  const sandbox = await simulationSandbox();
  return [...problems, ...codeProblems(doc, (source, kind) => sandbox.compile(source, kind))];
}

const checksum = (json: string) => createHash('sha256').update(json).digest('hex');

/** Whether `doc` deployed now would be the same definition as `deployed` (version `version`), state aside. */
function sameDefinition(doc: unknown, deployed: unknown, version: number): boolean {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  try {
    const a = stringifyProcess(canonicalProcess({ ...(doc as Process), version, state: 'active' }));
    const b = stringifyProcess(canonicalProcess({ ...(deployed as Process), version, state: 'active' }));
    return a === b;
  } catch {
    return false;
  }
}

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
    const problems = await problemsOf(doc);
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
   * problem when it does not validate or names something missing (unless `createMissing`). A draft
   * identical to the latest version is refused with 409 `DEPLOY_UNCHANGED` (nothing written) unless
   * `force` confirms that a new, identical version is wanted.
   */
  async deploy(access: Access, key: string, opts: { createMissing?: boolean; doc?: unknown; force?: boolean } = {}) {
    await access.assertAdmin();
    return this.db.transaction().execute(async (trx) => {
      const p = await this.mustGet(key, trx);
      const source = opts.doc ?? p.draft;
      if (!source) throw new Conflict(`process "${key}" has no draft to deploy`, undefined, 'NO_DRAFT');
      if (!opts.force) {
        const latest = await processRepo.version(trx, key, 'latest');
        if (latest && sameDefinition(source, latest.definition, latest.version)) {
          throw new Conflict(
            `the draft is identical to version ${latest.version} (${latest.state}); nothing was deployed. Send "force": true to deploy it as a new version anyway`,
            '/force',
            'DEPLOY_UNCHANGED',
          );
        }
      }
      const { version, created } = await this.deployInTrx(trx, access, key, source, opts.createMissing ?? false);
      return { key, version, state: 'active' as const, created };
    });
  }

  private async deployInTrx(trx: Kysely<DB>, access: Access, key: string, source: unknown, createMissingRefs: boolean) {
    const obj = asProcessObject(source);
    if (obj.key !== key) throw new BadRequest(`the process's key "${String(obj.key)}" is not "${key}"`, '/key');
    const problems = await problemsOf(obj);
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

  /** A key like `base-2`, `base-3` … that no process uses yet. */
  private async freeKey(base: string, db: Kysely<DB> = this.db): Promise<string> {
    for (let i = 2; ; i++) {
      const candidate = `${base.slice(0, 120) || 'process'}-${i}`;
      if (!(await processRepo.get(db, candidate))) return candidate;
    }
  }

  /** The stored process under a key with its latest version, or null. */
  private async existing(key: string, db: Kysely<DB> = this.db): Promise<ImportResult['existing']> {
    if (!key) return null;
    const p = await processRepo.get(db, key);
    if (!p) return null;
    const latest = await processRepo.version(db, key, 'latest');
    return { key, name: p.name, latestVersion: latest?.version ?? null };
  }

  /**
   * Imports a JSON, BPMN or OTOBO YAML file: converts and validates it, checks its references, and —
   * unless something blocks it — stores it as the draft of its key (creating the process) and
   * optionally deploys it. A key that is taken needs an explicit choice (`onConflict`): a new version
   * of that process, or another key. Nothing is stored when it fails or on a dry run; the result says
   * what would happen (`outcome`) and why (`reasons`).
   */
  async import(access: Access, input: string | Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
    await access.assertAdmin();
    let imported: Awaited<ReturnType<typeof importProcess>>;
    try {
      imported = await importProcess(input, { contentType: opts.contentType });
    } catch (e) {
      throw fromEngineError(e);
    }
    return this.importConverted(access, imported, opts);
  }

  /**
   * The import of an already converted file (see `import`): its processes in order, called ones
   * first, all in one transaction. A call to a process of the same file calls the key that process
   * gets (also under `onConflict=new-key`).
   */
  async importConverted(access: Access, imported: ProcessImport, opts: ImportOptions = {}): Promise<ImportResult> {
    await access.assertAdmin();
    if (opts.key !== undefined && !KEY_RE.test(opts.key)) throw new BadRequest('key must be a slug like "leave-request"', 'key');
    const files = [...(imported.others ?? []), imported];
    const parts: ImportPart[] = [];
    const renamed = new Map<string, string>();
    for (const [i, part] of files.entries()) {
      const doc = part.process;
      let key = typeof doc.key === 'string' ? doc.key : '';
      let existing = await this.existing(key);
      const suggestedKey = existing ? await this.freeKey(key) : null;
      const chosen = i === files.length - 1 ? opts.key : undefined;
      if (chosen !== undefined || (existing && opts.onConflict === 'new-key')) {
        const to = chosen ?? suggestedKey!;
        renamed.set(key, to);
        key = to;
        doc.key = key;
        existing = await this.existing(key);
      }
      parts.push({ imported: { ...part, problems: await problemsOf(doc, part.problems) }, doc, key, existing, suggestedKey });
    }
    if (files.length > 1) {
      for (const p of parts) {
        for (const n of p.doc.nodes ?? []) if (n.type === 'callActivity' && renamed.has(n.process)) n.process = renamed.get(n.process)!;
        p.imported = { ...p.imported, references: collectReferences(p.doc) };
      }
    }
    // Processes of the file count as present for each other.
    const local = new Set(parts.map((p) => p.key));
    const refsOf = (p: ImportPart) => p.imported.references.filter((r) => !(r.kind === 'process' && local.has(r.name)));
    const results: ProcessImportResult[] = [];
    for (const p of parts) results.push(await this.assess(p, refsOf(p), opts));
    const result: ImportResult = { ...results[results.length - 1]!, reasons: [...results[results.length - 1]!.reasons], processes: results };
    for (const r of results.slice(0, -1)) {
      if (r.outcome === 'refused') result.reasons.push(`the process "${r.key}" of this file is refused: ${r.reasons.join('; ')}`);
    }
    if (results.some((r) => r.outcome === 'refused')) result.outcome = 'refused';
    else if (results.some((r) => r.outcome === 'key-conflict')) {
      for (const r of results.slice(0, -1)) if (r.outcome === 'key-conflict') result.reasons.push(r.reasons[r.reasons.length - 1]!);
      result.outcome = 'key-conflict';
    }
    if (opts.dryRun) return result;
    // Nothing is written unless every process of the file can be.
    for (const [i, p] of parts.entries()) {
      const r = results[i]!;
      assertProcessSize(p.doc);
      if (!p.key) throw new ProcessInvalid(p.imported.problems);
      if (opts.deploy && !isDeployable(p.imported.problems)) throw new ProcessInvalid(p.imported.problems);
      const missing = r.references.missing;
      if (missing.length && !(opts.createMissing && missing.every((m) => m.creatable))) throw new MissingReferences(r.references);
      if (r.outcome === 'key-conflict') throw new KeyConflict(r.reasons[r.reasons.length - 1]!, { existing: r.existing, suggestedKey: r.suggestedKey });
    }
    await this.db.transaction().execute(async (trx) => {
      for (const [i, p] of parts.entries()) {
        const r = results[i]!;
        const key = p.key;
        // Checked again under the transaction: another import may have taken the key meanwhile.
        const now = await processRepo.get(trx, key);
        if (now && opts.onConflict !== 'new-version') throw new KeyConflict(`a process with the key "${key}" was created meanwhile; import again`, { existing: await this.existing(key, trx), suggestedKey: await this.freeKey(key, trx) });
        // Read again: an earlier process of the file may have created what this one misses.
        const missing = (await checkReferences(trx, refsOf(p), key)).missing;
        if (missing.length) r.created = await createMissing(trx, missing, access, this.services.now());
        const draft = JSON.stringify(p.doc);
        if (now) await processRepo.saveDraft(trx, key, draft, p.doc.name, this.services.now(), this.by(access));
        else await processRepo.insert(trx, { key, name: p.doc.name, draft, now: this.services.now(), by: this.by(access) });
        if (opts.deploy) r.version = (await this.deployInTrx(trx, access, key, p.doc, false)).version;
      }
    });
    for (const [i, p] of parts.entries()) {
      const r = results[i]!;
      r.stored = true;
      r.references = await checkReferences(this.db, refsOf(p), p.key);
    }
    return { ...results[results.length - 1]!, outcome: result.outcome, reasons: result.reasons, processes: results };
  }

  /** What importing one process of a file does: its outcome and why, its references checked. */
  private async assess(part: ImportPart, refs: Reference[], opts: ImportOptions): Promise<ProcessImportResult> {
    const { imported, doc, key, existing, suggestedKey } = part;
    const references = await checkReferences(this.db, refs, key);
    const reasons: string[] = [];
    if (!key) reasons.push('the process has no key');
    if (opts.deploy && !isDeployable(imported.problems)) {
      const errors = imported.problems.filter((p) => p.severity === 'error');
      reasons.push(`it cannot be deployed: ${errors.length} problem${errors.length === 1 ? '' : 's'}, first: ${errors[0]?.message ?? ''}`);
    }
    if (references.missing.length) {
      const names = references.missing.slice(0, 5).map(describeMissing).join('; ') + (references.missing.length > 5 ? `; and ${references.missing.length - 5} more` : '');
      if (references.missing.some((m) => !m.creatable)) reasons.push(`it references what cannot be created here: ${names}`);
      else if (!opts.createMissing) reasons.push(`it references what does not exist here (import with create-missing to create it): ${names}`);
    }
    const outcome: ImportOutcome = reasons.length ? 'refused' : existing ? (opts.onConflict === 'new-version' ? 'new-version' : 'key-conflict') : 'create';
    const offered = existing ? (suggestedKey ?? (await this.freeKey(key))) : null;
    if (outcome === 'key-conflict') {
      reasons.push(
        `a process with the key "${key}" already exists ("${existing!.name}"${existing!.latestVersion ? `, version ${existing!.latestVersion}` : ', a draft'}): ` +
          `import it as a new version of it, or under another key such as "${offered}"`,
      );
    }
    return {
      key, name: doc.name, format: imported.format, stored: false, version: null, problems: imported.problems, references,
      created: [], warnings: imported.warnings, unsupported: imported.unsupported, changed: imported.changed,
      outcome, reasons, existing, suggestedKey: offered,
    };
  }
}
