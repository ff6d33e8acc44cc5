/**
 * What the database commands of the CLI (`migrate`, `seed`, `admin reset-password`, `mail read`,
 * `process …`) need, by either transport: the database opened directly, or a running server's REST
 * API (`cli-remote.ts` decides which). The commands print the answers with the same code either way.
 */
import type { MailOutcome } from './mail/inbound/pipeline';
import type { Config } from './config';
import { findServer, type HelpdeskClient } from './cli-remote';
import type { ProcessBackend } from './processes/cli-backend';
import type { SeedLine } from './search/seed-routes';

export interface CliBackend {
  /** The database kind and its migration level (a running server migrated it at its start). */
  migrationLevel(): Promise<{ kind: string; applied: number; current: string | null }>;
  seed(tickets: number, seed: number | undefined, progress: (line: string) => void): Promise<{ tickets: number; articles: number; ms: number }>;
  resetAdminPassword(password: string | undefined): Promise<{ password?: string; generated: boolean }>;
  /** Rejects with `MailNotStored` when the mail could not be stored at all (the MTA tries again). */
  readMail(raw: Buffer): Promise<MailOutcome>;
  processes(): Promise<ProcessBackend>;
}

/** `mail read` could not store the mail anywhere: exit 75, the MTA tries again. */
export class MailNotStored extends Error {}

/**
 * The backend for this invocation: a running server when there is one to use (printing
 * `using the server at …` on standard error), else the database itself.
 *
 * @example
 * const backend = await cliBackend(loadConfig(), urlOption);
 * const level = await backend.migrationLevel();
 */
export async function cliBackend(config: Config, urlOption: string | undefined): Promise<CliBackend> {
  const server = await findServer(config, urlOption);
  if (server) {
    process.stderr.write(server.line + '\n');
    return remoteBackend(server.client);
  }
  return directBackend(config);
}

function directBackend(config: Config): CliBackend {
  const open = async (admin: boolean) => (await import('./cli-database')).openForCli(config, { admin });
  return {
    async migrationLevel() {
      const { migrationLevel } = await import('./db/index');
      const database = await open(false);
      try {
        return { kind: database.kind, ...(await migrationLevel(database.db)) };
      } finally {
        await database.close();
      }
    },
    async seed(tickets, seed, progress) {
      const { seedTickets } = await import('./search/seed');
      const database = await open(true);
      try {
        return await seedTickets(database.db, tickets, { seed, prefix: config.ticketNumberPrefix, log: progress });
      } finally {
        await database.close();
      }
    },
    async resetAdminPassword(password) {
      const { resetAdminPassword } = await import('./auth/admin');
      const database = await open(false);
      try {
        return await resetAdminPassword(database.db, password);
      } finally {
        await database.close();
      }
    },
    async readMail(raw) {
      const [{ createLogger }, { openAndMigrate }, { processMail }, { closeParsePool }, { createServices }] = await Promise.all([
        import('./log'),
        import('./main'),
        import('./mail/inbound/pipeline'),
        import('./mail/inbound/parse-pool'),
        import('./services'),
      ]);
      const log = createLogger('warn');
      let database;
      try {
        database = await openAndMigrate(config, log);
      } catch (e) {
        throw new MailNotStored(`the database cannot be opened (${(e as Error).message})`);
      }
      try {
        return await processMail(createServices(database, config, log), { raw, source: 'pipe' });
      } catch (e) {
        throw new MailNotStored(`the mail could not be stored (${(e as Error).message})`);
      } finally {
        await closeParsePool();
        await database.close();
      }
    },
    processes: async () => (await import('./processes/cli-backend')).directProcesses(config),
  };
}

function remoteBackend(client: HelpdeskClient): CliBackend {
  return {
    async migrationLevel() {
      const health = await client.health();
      if (!health) throw new Error(`the server at ${client.url} does not answer /healthz`);
      return { kind: health.database, applied: health.migrations.applied, current: health.migrations.current };
    },
    async seed(tickets, seed, progress) {
      const res = await client.request('POST', '/tickets/seed', { json: { tickets, ...(seed === undefined ? {} : { seed }) } });
      let rest = '';
      let result: SeedLine['result'];
      const decoder = new TextDecoder();
      const take = (line: string) => {
        if (!line.trim()) return;
        const l = JSON.parse(line) as SeedLine;
        if (l.progress !== undefined) progress(l.progress);
        if (l.result) result = l.result;
        if (l.error) throw new Error(`${l.error.code}: ${l.error.message}`);
      };
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        rest += decoder.decode(chunk, { stream: true });
        const lines = rest.split('\n');
        rest = lines.pop()!;
        lines.forEach(take);
      }
      take(rest);
      if (!result) throw new Error(`the server at ${client.url} ended the seed answer without a result`);
      return result;
    },
    resetAdminPassword: (password) => client.json('POST', '/auth/admin-password', { json: password === undefined ? {} : { password } }),
    async readMail(raw) {
      try {
        return await client.json<MailOutcome>('POST', '/mail/inbound', { body: raw, contentType: 'message/rfc822' });
      } catch (e) {
        throw new MailNotStored(`the mail could not be stored (${(e as Error).message})`);
      }
    },
    processes: async () => (await import('./processes/cli-backend')).remoteProcesses(client),
  };
}
