/**
 * Deployed process definitions by key and version. Versions are immutable, so a loaded definition
 * is cached for the life of the process (bounded, oldest dropped first).
 */
import type { Kysely } from 'kysely';
import type { Process } from '../../engine/model/types';
import type { DB, ProcessState } from '../db/schema';
import { NotFound } from '../errors';

const MAX = 500;

export class DefinitionCache {
  private readonly byVersion = new Map<string, Process>();

  /** The definition of `key` version `version`. */
  async get(db: Kysely<DB>, key: string, version: number): Promise<Process> {
    const id = `${key}@${version}`;
    const hit = this.byVersion.get(id);
    if (hit) return hit;
    const row = await db.selectFrom('process_versions').select(['definition']).where('key', '=', key).where('version', '=', version).executeTakeFirst();
    if (!row) throw new NotFound(`process "${key}" version ${version}`);
    const def = (typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition) as Process;
    def.version = version;
    if (this.byVersion.size >= MAX) this.byVersion.delete(this.byVersion.keys().next().value!);
    this.byVersion.set(id, def);
    return def;
  }

  /** The version new instances of `key` start on: the newest active one; `none` / `inactive` when there is none. */
  async startable(db: Kysely<DB>, key: string): Promise<number | 'none' | 'inactive'> {
    const rows = await db.selectFrom('process_versions').select(['version', 'state']).where('key', '=', key).orderBy('version', 'desc').execute();
    if (!rows.length) return 'none';
    const active = rows.find((r) => r.state === ('active' satisfies ProcessState));
    return active ? active.version : 'inactive';
  }
}
