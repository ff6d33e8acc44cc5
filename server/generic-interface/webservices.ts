/**
 * Administering web services (administrators only): list, read, create, change, delete, import
 * from OTOBO YAML, export to it, and read or clear the debugger log. A configuration is checked as
 * a whole: every route names a defined operation, placeholders are unique within a route, names are
 * unique (409).
 */
import type { Access } from '../access/access';
import { BadRequest, Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { fromOtoboYaml, toOtoboYaml } from './otobo-yaml';
import { debugLogRepo, toWebservice, webserviceRepo, type WebserviceRow } from './repo';
import type { DebugEntry, ImportQuery, Webservice, WebserviceConfig, WebserviceInput } from './schema';

export interface WebserviceView extends Omit<Webservice, 'config'> {
  operations: WebserviceConfig['operations'];
  routes: WebserviceConfig['routes'];
  baseUrls: string[];
}

export function viewOf(ws: Webservice): WebserviceView {
  const { config, ...rest } = ws;
  const name = encodeURIComponent(ws.name);
  return {
    ...rest,
    operations: config.operations,
    routes: config.routes,
    baseUrls: [`/api/webservice/${name}`, `/otobo/nph-genericinterface.pl/Webservice/${name}`],
  };
}

/** Checks the configuration as a whole and fills in defaults (`methods: []`). */
export function normaliseConfig(operations: WebserviceConfig['operations'], routes: WebserviceInput['routes']): WebserviceConfig {
  const out: WebserviceConfig = { operations, routes: [] };
  (routes ?? []).forEach((r, i) => {
    if (!operations[r.operation]) {
      throw new BadRequest(`route ${r.route} names the operation "${r.operation}", which is not defined under operations`, `/routes/${i}/operation`, undefined, 'UNKNOWN_OPERATION');
    }
    const placeholders = r.route.split('/').filter((s) => s.startsWith(':'));
    if (new Set(placeholders).size !== placeholders.length) {
      throw new BadRequest(`route ${r.route} uses a placeholder twice`, `/routes/${i}/route`, undefined, 'INVALID_ROUTE');
    }
    out.routes.push({ route: r.route, methods: r.methods ?? [], operation: r.operation });
  });
  return out;
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

export class WebserviceService {
  constructor(private readonly services: Services) {}

  private get db() {
    return this.services.database.db;
  }

  private async row(access: Access, id: number): Promise<WebserviceRow> {
    await access.assertAdmin();
    const row = await webserviceRepo.byId(this.db, id);
    if (!row) throw new NotFound('web service', 'id');
    return row;
  }

  async list(access: Access): Promise<WebserviceView[]> {
    await access.assertAdmin();
    return (await webserviceRepo.list(this.db)).map((r) => viewOf(toWebservice(r)));
  }

  async get(access: Access, id: number): Promise<WebserviceView> {
    return viewOf(toWebservice(await this.row(access, id)));
  }

  async create(access: Access, input: Required<Pick<WebserviceInput, 'name' | 'operations' | 'routes'>> & WebserviceInput): Promise<WebserviceView> {
    await access.assertAdmin();
    const config = normaliseConfig(input.operations, input.routes);
    const by = access.actor?.id ?? null;
    try {
      const { id } = await webserviceRepo.insert(this.db, {
        name: input.name,
        description: input.description ?? '',
        valid: input.valid ?? true,
        envelope: input.envelope ?? 'otobo',
        debug_level: input.debugLevel ?? 'error',
        debug_retention: input.debugRetention ?? 500,
        max_length: input.maxLength ?? null,
        config: JSON.stringify(config),
        created_by: by,
        changed_by: by,
        created_at: this.services.now(),
        changed_at: this.services.now(),
      });
      return this.get(access, id);
    } catch (e) {
      if (isUniqueViolation(e)) throw new Conflict(`a web service named "${input.name}" exists already`, '/name', 'NAME_TAKEN');
      throw e;
    }
  }

  async update(access: Access, id: number, patch: WebserviceInput): Promise<WebserviceView> {
    const current = toWebservice(await this.row(access, id));
    const config = normaliseConfig(patch.operations ?? current.config.operations, patch.routes ?? current.config.routes);
    const set = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.valid !== undefined ? { valid: patch.valid } : {}),
      ...(patch.envelope !== undefined ? { envelope: patch.envelope } : {}),
      ...(patch.debugLevel !== undefined ? { debug_level: patch.debugLevel } : {}),
      ...(patch.debugRetention !== undefined ? { debug_retention: patch.debugRetention } : {}),
      ...(patch.maxLength !== undefined ? { max_length: patch.maxLength } : {}),
      config: JSON.stringify(config),
      changed_at: this.services.now(),
      changed_by: access.actor?.id ?? null,
    };
    try {
      await webserviceRepo.update(this.db, id, set);
    } catch (e) {
      if (isUniqueViolation(e)) throw new Conflict(`a web service named "${patch.name}" exists already`, '/name', 'NAME_TAKEN');
      throw e;
    }
    return this.get(access, id);
  }

  async remove(access: Access, id: number): Promise<void> {
    await this.row(access, id);
    await webserviceRepo.delete(this.db, id);
  }

  /** Creates (or with `replace`, replaces) a web service from OTOBO YAML. */
  async importYaml(access: Access, text: string, q: ImportQuery): Promise<{ webservice: WebserviceView; warnings: string[]; created: boolean }> {
    await access.assertAdmin();
    const imported = fromOtoboYaml(text);
    const input: WebserviceInput = {
      name: q.name,
      description: imported.description,
      envelope: q.envelope,
      operations: imported.config.operations,
      routes: imported.config.routes,
      ...(imported.debugLevel ? { debugLevel: imported.debugLevel } : {}),
      ...(imported.maxLength ? { maxLength: imported.maxLength } : {}),
    };
    const existing = await webserviceRepo.byName(this.db, q.name);
    if (existing && !q.replace) throw new Conflict(`a web service named "${q.name}" exists already (import with replace=true to replace it)`, '/name', 'NAME_TAKEN');
    const webservice = existing
      ? await this.update(access, existing.id, input)
      : await this.create(access, input as Parameters<WebserviceService['create']>[1]);
    return { webservice, warnings: imported.warnings, created: !existing };
  }

  async exportYaml(access: Access, id: number): Promise<{ name: string; yaml: string }> {
    const ws = toWebservice(await this.row(access, id));
    return { name: ws.name, yaml: toOtoboYaml(ws, this.services.config.maxBodyBytes) };
  }

  async debugLog(access: Access, id: number, page: number, perPage: number): Promise<{ items: DebugEntry[]; total: number; page: number; perPage: number }> {
    await this.row(access, id);
    return { ...(await debugLogRepo.page(this.db, id, page, perPage)), page, perPage };
  }

  async clearDebugLog(access: Access, id: number): Promise<void> {
    await this.row(access, id);
    await debugLogRepo.clear(this.db, id);
  }
}
