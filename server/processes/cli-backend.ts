/**
 * The two ways `helpdesk process …` reaches processes: the database opened directly (as the
 * operator, `admin`), or a running server's REST API (`cli-remote.ts`). Both answer the same values,
 * and refusals as the same `DomainError`s, so `cli.ts` prints them with one set of functions.
 */
import type { ProcessDiff } from '../../engine/index';
import { operatorAccess } from '../access/operator';
import type { HelpdeskClient } from '../cli-remote';
import { openForCli } from '../cli-database';
import type { Config } from '../config';
import { createLogger } from '../log';
import { installShippedServices } from '../outbound/shipped';
import { createServices } from '../services';
import { ProcessService, type ImportOptions, type ImportResult, type ValidationReport } from './service';
import { installShippedScripts } from './shipped';

type Summary = Awaited<ReturnType<ProcessService['list']>>[number];
type Version = number | 'latest' | 'draft';

export interface ProcessBackend {
  validate(doc: unknown): Promise<ValidationReport>;
  import(bytes: Uint8Array, opts: ImportOptions): Promise<ImportResult>;
  export(key: string, version: Version, format: 'json' | 'bpmn'): Promise<string>;
  deploy(key: string, opts: { createMissing?: boolean }): Promise<{ key: string; version: number; created: ImportResult['created'] }>;
  list(): Promise<Array<Pick<Summary, 'key' | 'name' | 'latestVersion' | 'state' | 'draftChanged'>>>;
  diff(key: string, from: number | 'draft', to: number | 'draft'): Promise<ProcessDiff>;
  /** Runs `fn` with calls that share one connection to the database or server. */
  session<T>(fn: (b: ProcessBackend) => Promise<T>): Promise<T>;
}

type OperatorAccess = NonNullable<Awaited<ReturnType<typeof operatorAccess>>>;

/** The calls on one opened database. */
function boundProcesses(svc: ProcessService, access: OperatorAccess): ProcessBackend {
  const self: ProcessBackend = {
    validate: (doc) => svc.validate(doc),
    import: (bytes, opts) => svc.import(access, bytes, opts),
    export: (key, version, format) => svc.export(access, key, version, format),
    deploy: (key, opts) => svc.deploy(access, key, opts),
    list: () => svc.list(access),
    diff: (key, from, to) => svc.diff(access, key, from, to),
    session: (fn) => fn(self),
  };
  return self;
}

/**
 * Each call opens the configured database as the operator, and closes it afterwards; `session`
 * keeps it open for a series of calls (a folder import opens PGlite once, not once per file).
 */
export function directProcesses(config: Config): ProcessBackend {
  const session = async <T>(fn: (b: ProcessBackend) => Promise<T>): Promise<T> => {
    const log = createLogger('warn');
    const database = await openForCli(config);
    try {
      const access = (await operatorAccess(database.db))!;
      const services = createServices(database, config, log);
      // The scripts and services the shipped processes call, as the server's first start adds them.
      await installShippedScripts(services, access, log);
      await installShippedServices(services, access, log);
      return await fn(boundProcesses(new ProcessService(services), access));
    } finally {
      await database.close();
    }
  };
  return {
    validate: (doc) => session((b) => b.validate(doc)),
    import: (bytes, opts) => session((b) => b.import(bytes, opts)),
    export: (key, version, format) => session((b) => b.export(key, version, format)),
    deploy: (key, opts) => session((b) => b.deploy(key, opts)),
    list: () => session((b) => b.list()),
    diff: (key, from, to) => session((b) => b.diff(key, from, to)),
    session,
  };
}

/** The same through `/api/v1/processes` of a running server. */
export function remoteProcesses(client: HelpdeskClient): ProcessBackend {
  const k = encodeURIComponent;
  const self: ProcessBackend = {
    validate: (doc) => client.json('POST', '/processes/validate', { json: doc }),
    import: (bytes, opts) =>
      client.json('POST', '/processes/import', { body: bytes, query: { createMissing: !!opts.createMissing, deploy: !!opts.deploy, dryRun: !!opts.dryRun, onConflict: opts.onConflict, key: opts.key } }),
    export: async (key, version, format) => (await client.request('GET', `/processes/${k(key)}/export`, { query: { format, version } })).text(),
    deploy: (key, opts) => client.json('POST', `/processes/${k(key)}/deploy`, { json: { createMissing: !!opts.createMissing } }),
    list: async () => (await client.json<{ items: Summary[] }>('GET', '/processes')).items,
    diff: (key, from, to) => client.json('GET', `/processes/${k(key)}/diff`, { query: { from, to } }),
    session: (fn) => fn(self),
  };
  return self;
}
