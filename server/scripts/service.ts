/**
 * The script library (administrators): scripts by name with immutable numbered versions (each save
 * stores a new one), and a trial run with sample input in the sandbox (the designer's "run with
 * sample input"). Knows no HTTP.
 */
import type { JsonValue } from '../../engine/model/types';
import type { Access } from '../access/access';
import { engineFor } from '../engine/engine';
import { Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { scriptRepo } from './repo';
import type { ScriptRunInput } from './schema';

export interface ScriptView {
  name: string;
  description: string;
  version: number;
  source: string;
  createdAt: string;
  changedAt: string;
  changedBy: string | null;
}

export class ScriptService {
  constructor(private readonly services: Services) {}

  private get db() {
    return this.services.database.db;
  }

  async list(access: Access) {
    await access.assertAdmin();
    return (await scriptRepo.list(this.db)).map((r) => ({
      name: r.name, description: r.description, latestVersion: r.latest_version, createdAt: r.created_at.toISOString(), changedAt: r.changed_at.toISOString(), changedBy: r.changed_by,
    }));
  }

  async get(access: Access, name: string, version?: number): Promise<ScriptView> {
    await access.assertAdmin();
    const s = await scriptRepo.get(this.db, name);
    const v = s && (await scriptRepo.version(this.db, name, version));
    if (!s || !v) throw new NotFound(version ? `script "${name}" version ${version}` : `script "${name}"`);
    return { name, description: s.description, version: v.version, source: v.source, createdAt: s.created_at.toISOString(), changedAt: v.created_at.toISOString(), changedBy: v.created_by };
  }

  async create(access: Access, input: { name: string; source: string; description?: string }): Promise<ScriptView> {
    const agent = access.requireAgent();
    await access.assertAdmin();
    const now = this.services.now();
    await this.db.transaction().execute(async (trx) => {
      if (await scriptRepo.get(trx, input.name)) throw new Conflict(`a script named "${input.name}" exists already; PUT a new version`, '/name', 'DUPLICATE');
      await trx.insertInto('scripts').values({ name: input.name, description: input.description ?? '', latest_version: 1, created_at: now, created_by: agent.id, changed_at: now }).execute();
      await trx.insertInto('script_versions').values({ name: input.name, version: 1, source: input.source, created_at: now, created_by: agent.id }).execute();
    });
    return this.get(access, input.name);
  }

  /** Stores a new version (the source is unchanged: no new version). */
  async update(access: Access, name: string, input: { source: string; description?: string }): Promise<ScriptView> {
    const agent = access.requireAgent();
    await access.assertAdmin();
    const now = this.services.now();
    await this.db.transaction().execute(async (trx) => {
      const s = await scriptRepo.lock(trx, name);
      if (!s) throw new NotFound(`script "${name}"`);
      const latest = await scriptRepo.version(trx, name);
      const changed = latest?.source !== input.source;
      const version = changed ? s.latest_version + 1 : s.latest_version;
      if (changed) await trx.insertInto('script_versions').values({ name, version, source: input.source, created_at: now, created_by: agent.id }).execute();
      await trx.updateTable('scripts').set({ latest_version: version, changed_at: now, ...(input.description !== undefined ? { description: input.description } : {}) }).where('name', '=', name).execute();
    });
    return this.get(access, name);
  }

  async versions(access: Access, name: string) {
    await access.assertAdmin();
    if (!(await scriptRepo.get(this.db, name))) throw new NotFound(`script "${name}"`);
    return (await scriptRepo.versions(this.db, name)).map((v) => ({ version: v.version, createdAt: v.created_at.toISOString(), createdBy: v.created_by }));
  }

  /** Runs a version (or given source) with sample input in the sandbox pool. */
  async run(access: Access, name: string, input: ScriptRunInput) {
    await access.assertAdmin();
    const source = input.source ?? (await this.get(access, name, input.version)).source;
    const r = await engineFor(this.services).pool().run({
      source,
      filename: `${name}.js`,
      input: { ticket: (input.ticket ?? {}) as JsonValue, params: (input.params ?? {}) as Record<string, JsonValue>, vars: (input.vars ?? {}) as Record<string, JsonValue> },
      now: this.services.now().getTime(),
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
    });
    return r.ok
      ? { ok: true, vars: r.vars, dynamicFields: r.dynamicFields, durationMs: r.durationMs, logs: r.logs ?? [] }
      : { ok: false, error: { kind: r.error.kind, message: r.error.message, ...(r.error.code ? { code: r.error.code } : {}), ...(r.error.line !== undefined ? { line: r.error.line } : {}) }, durationMs: r.durationMs, logs: r.logs ?? [] };
  }
}
