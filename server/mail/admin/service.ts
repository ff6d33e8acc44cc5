/**
 * Inbound mail for administrators: mail accounts (password encrypted with server/outbound/secrets.ts
 * and never returned; a valid account always has a `mail-fetch` job coming, a retired one none; a
 * test that only connects, logs in and opens the folder), postmaster filters (every regular
 * expression compiled on save), auto responses per queue, system addresses, and problem mails
 * (list, raw download, reprocess through the whole pipeline again, delete). Every input is checked
 * before anything is written (400 naming the path); names that clash answer 409. Knows no HTTP.
 */
import type { Kysely } from 'kysely';
import type { Access } from '../../access/access';
import { writeTransaction } from '../../catalog/transaction';
import type { DB } from '../../db/schema';
import { scheduleMailFetch } from '../../engine/job-kinds/mail-fetch';
import { BadRequest, Conflict, NotFound } from '../../errors';
import { isAllowListEntry } from '../../outbound/ip';
import { decryptSecret, encryptSecret, secretsKey } from '../../outbound/secrets';
import type { Services } from '../../services';
import { loadInboundConfig, type InboundConfig } from '../inbound/config';
import { fetchAccount, secretName } from '../inbound/fetch';
import { attemptMail } from '../inbound/pipeline';
import * as repo from './repo';
import type { AccountInput, AddressInput, FilterInput, ResponseInput } from './schema';

const bad = (path: string, message: string) => new BadRequest(`${path} ${message}`, path, undefined, 'VALIDATION_FAILED');
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const DEFAULT_PORTS = { imap: { none: 143, starttls: 143, tls: 993 }, pop3: { none: 110, starttls: 110, tls: 995 } } as const;

export function accountView(r: repo.AccountRow) {
  return {
    id: r.id,
    name: r.name,
    protocol: r.protocol,
    host: r.host,
    port: r.port,
    tls: r.tls,
    login: r.login,
    hasPassword: r.secret !== null,
    folder: r.folder,
    keep: r.keep,
    queue: r.queue_name ?? null,
    intervalSeconds: r.interval_seconds,
    allowList: json<string[]>(r.allow_list),
    valid: r.valid,
    lastFetchAt: iso(r.last_fetch_at),
    lastError: r.last_error,
    createdAt: iso(r.created_at)!,
  };
}

const filterView = (r: { id: number; name: string; matches: unknown; actions: unknown; stop: boolean; valid: boolean; created_at: Date }) => ({
  id: r.id,
  name: r.name,
  matches: json<NonNullable<FilterInput['matches']>>(r.matches),
  actions: json<object>(r.actions),
  stop: r.stop,
  valid: r.valid,
  createdAt: iso(r.created_at)!,
});

const responseView = (r: repo.ResponseRow) => ({ id: r.id, queue: r.queue_name, kind: r.kind, subject: r.subject, body: r.body, valid: r.valid });
const addressView = (r: repo.AddressRow) => ({ id: r.id, address: r.address, displayName: r.display_name, queue: r.queue_name, valid: r.valid, createdAt: iso(r.created_at)! });
const problemView = (r: repo.ProblemRow) => ({
  id: r.id,
  source: r.source,
  code: r.code,
  reason: r.reason,
  size: r.size,
  from: r.from_addr,
  subject: r.subject,
  messageId: r.message_id,
  queue: r.queue_name ?? null,
  receivedAt: iso(r.received_at)!,
});

export class MailAdminService {
  constructor(
    private readonly services: Services,
    private readonly inbound: () => InboundConfig = () => loadInboundConfig(),
  ) {}

  private get db(): Kysely<DB> {
    return this.services.database.db;
  }

  private async queueId(db: Kysely<DB>, name: string, path: string): Promise<number> {
    const id = await repo.idByName(db, 'queues', name);
    if (id === undefined) throw bad(path, `names the queue "${name}", which does not exist`);
    return id;
  }

  // ---- mail accounts -----------------------------------------------------------------------------

  async listAccounts(access: Access) {
    await access.assertAdmin();
    return (await repo.accountRows(this.db).orderBy('a.name').execute()).map(accountView);
  }

  private async accountRow(id: number, db: Kysely<DB> = this.db) {
    const row = await repo.accountRows(db).where('a.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFound('mail account');
    return row;
  }

  async getAccount(access: Access, id: number) {
    await access.assertAdmin();
    return accountView(await this.accountRow(id));
  }

  /** Creates (`id` undefined) or changes an account; a valid account gets its next fetch scheduled, a retired one loses it. */
  async saveAccount(access: Access, id: number | undefined, input: AccountInput) {
    await access.assertAdmin();
    for (const [i, entry] of (input.allowList ?? []).entries()) {
      if (!isAllowListEntry(entry)) throw bad(`/allowList/${i}`, `"${entry}" is not a host name, address or CIDR`);
    }
    // The key first: a PostgreSQL install without SECRETS_KEY refuses before anything is written.
    const key = input.password !== undefined || (id !== undefined && input.name !== undefined) ? secretsKey(this.services) : undefined;
    const savedId = await writeTransaction(
      this.db,
      async (db) => {
        const old = id === undefined ? undefined : await this.accountRow(id, db);
        const name = input.name ?? old!.name;
        const protocol = input.protocol ?? old?.protocol ?? 'imap';
        const tls = input.tls ?? old?.tls ?? 'tls';
        if (await db.selectFrom('mail_accounts').select('id').where('name', '=', name).$if(id !== undefined, (q) => q.where('id', '!=', id!)).executeTakeFirst()) {
          throw new Conflict(`a mail account "${name}" exists already`, '/name', 'DUPLICATE');
        }
        const queueId = input.queue === undefined ? (old?.queue_id ?? null) : input.queue === null ? null : await this.queueId(db, input.queue, '/queue');
        let secret = old?.secret ?? null;
        if (input.password !== undefined) secret = encryptSecret(input.password, secretName({ name }), key!);
        else if (old && secret && name !== old.name) secret = encryptSecret(decryptSecret(secret, secretName(old), key!), secretName({ name }), key!);
        const values = {
          name,
          protocol,
          host: input.host ?? old!.host,
          // An explicit port wins; a changed protocol or TLS mode without one takes that mode's default port.
          port: input.port ?? (old && !input.protocol && !input.tls ? old.port : DEFAULT_PORTS[protocol][tls]),
          tls,
          login: input.login ?? old!.login,
          secret,
          folder: input.folder ?? old?.folder ?? 'INBOX',
          keep: input.keep ?? old?.keep ?? false,
          queue_id: queueId,
          interval_seconds: input.intervalSeconds ?? old?.interval_seconds ?? 300,
          allow_list: JSON.stringify(input.allowList ?? (old ? json<string[]>(old.allow_list) : [])),
          valid: input.valid ?? old?.valid ?? true,
        };
        let rowId: number;
        if (old) {
          await db.updateTable('mail_accounts').set(values).where('id', '=', old.id).execute();
          rowId = old.id;
        } else {
          rowId = (await db.insertInto('mail_accounts').values(values).returning('id').executeTakeFirstOrThrow()).id;
        }
        if (!values.valid) await repo.dropPendingFetches(db, rowId);
        else if ((await repo.pendingFetches(db, rowId)) === 0) await scheduleMailFetch(db, rowId, this.services.now());
        return rowId;
      },
      { message: 'a mail account with this name exists already', path: '/name' },
    );
    return accountView(await this.accountRow(savedId));
  }

  async deleteAccount(access: Access, id: number): Promise<void> {
    await access.assertAdmin();
    await this.db.transaction().execute(async (db) => {
      await this.accountRow(id, db);
      await repo.dropPendingFetches(db, id);
      await db.deleteFrom('mail_accounts').where('id', '=', id).execute();
    });
  }

  /** Connects, logs in and opens the folder; answers what happened in words, never throws for the server's answer. */
  async testAccount(access: Access, id: number): Promise<{ ok: boolean; message: string }> {
    await access.assertAdmin();
    const row = await this.accountRow(id);
    try {
      await fetchAccount(this.services, row, this.inbound(), true);
      return { ok: true, message: `connected to ${row.host}:${row.port}, logged in as ${row.login}${row.protocol === 'imap' ? ` and opened ${row.folder}` : ''}` };
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  }

  // ---- postmaster filters ------------------------------------------------------------------------

  async listFilters(access: Access) {
    await access.assertAdmin();
    return (await repo.filterRows(this.db).orderBy('name').execute()).map(filterView);
  }

  private async filterRow(id: number, db: Kysely<DB> = this.db) {
    const row = await repo.filterRows(db).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFound('postmaster filter');
    return row;
  }

  async getFilter(access: Access, id: number) {
    await access.assertAdmin();
    return filterView(await this.filterRow(id));
  }

  private async checkFilter(db: Kysely<DB>, input: FilterInput): Promise<void> {
    for (const [i, m] of (input.matches ?? []).entries()) {
      try {
        new RegExp(m.regex, 'i');
      } catch (e) {
        throw bad(`/matches/${i}/regex`, `is not a valid regular expression: ${(e as Error).message}`);
      }
    }
    const a = input.actions;
    if (!a) return;
    if (a.queue !== undefined) await this.queueId(db, a.queue, '/actions/queue');
    if (a.state !== undefined && (await repo.idByName(db, 'states', a.state)) === undefined) throw bad('/actions/state', `names the state "${a.state}", which does not exist`);
    if (a.priority !== undefined && (await repo.idByName(db, 'priorities', a.priority)) === undefined) throw bad('/actions/priority', `names the priority "${a.priority}", which does not exist`);
    if (a.owner !== undefined && (await repo.agentByLogin(db, a.owner)) === undefined) throw bad('/actions/owner', `names the agent "${a.owner}", who does not exist`);
  }

  async saveFilter(access: Access, id: number | undefined, input: FilterInput) {
    await access.assertAdmin();
    const savedId = await writeTransaction(
      this.db,
      async (db) => {
        const old = id === undefined ? undefined : await this.filterRow(id, db);
        await this.checkFilter(db, input);
        const name = input.name ?? old!.name;
        if (await db.selectFrom('postmaster_filters').select('id').where('name', '=', name).$if(id !== undefined, (q) => q.where('id', '!=', id!)).executeTakeFirst()) {
          throw new Conflict(`a postmaster filter "${name}" exists already`, '/name', 'DUPLICATE');
        }
        const values = {
          name,
          matches: JSON.stringify(input.matches ?? json(old!.matches)),
          actions: JSON.stringify(input.actions ?? json(old!.actions)),
          stop: input.stop ?? old?.stop ?? true,
          valid: input.valid ?? old?.valid ?? true,
        };
        if (old) {
          await db.updateTable('postmaster_filters').set(values).where('id', '=', old.id).execute();
          return old.id;
        }
        return (await db.insertInto('postmaster_filters').values(values).returning('id').executeTakeFirstOrThrow()).id;
      },
      { message: 'a postmaster filter with this name exists already', path: '/name' },
    );
    return filterView(await this.filterRow(savedId));
  }

  async deleteFilter(access: Access, id: number): Promise<void> {
    await access.assertAdmin();
    await this.filterRow(id);
    await this.db.deleteFrom('postmaster_filters').where('id', '=', id).execute();
  }

  // ---- auto responses ----------------------------------------------------------------------------

  async listResponses(access: Access) {
    await access.assertAdmin();
    return (await repo.responseRows(this.db).orderBy('q.name').orderBy('r.kind').execute()).map(responseView);
  }

  private async responseRow(id: number, db: Kysely<DB> = this.db) {
    const row = await repo.responseRows(db).where('r.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFound('auto response');
    return row;
  }

  async getResponse(access: Access, id: number) {
    await access.assertAdmin();
    return responseView(await this.responseRow(id));
  }

  async saveResponse(access: Access, id: number | undefined, input: ResponseInput) {
    await access.assertAdmin();
    const savedId = await writeTransaction(
      this.db,
      async (db) => {
        const old = id === undefined ? undefined : await this.responseRow(id, db);
        const queueId = input.queue === undefined ? old!.queue_id : await this.queueId(db, input.queue, '/queue');
        const kind = input.kind ?? old!.kind;
        if (await db.selectFrom('auto_responses').select('id').where('queue_id', '=', queueId).where('kind', '=', kind).$if(id !== undefined, (q) => q.where('id', '!=', id!)).executeTakeFirst()) {
          throw new Conflict(`the queue has a "${kind}" auto response already`, '/kind', 'DUPLICATE');
        }
        const values = { queue_id: queueId, kind, subject: input.subject ?? old!.subject, body: input.body ?? old!.body, valid: input.valid ?? old?.valid ?? true };
        if (old) {
          await db.updateTable('auto_responses').set(values).where('id', '=', old.id).execute();
          return old.id;
        }
        return (await db.insertInto('auto_responses').values(values).returning('id').executeTakeFirstOrThrow()).id;
      },
      { message: 'the queue has an auto response of this kind already', path: '/kind' },
    );
    return responseView(await this.responseRow(savedId));
  }

  async deleteResponse(access: Access, id: number): Promise<void> {
    await access.assertAdmin();
    await this.responseRow(id);
    await this.db.deleteFrom('auto_responses').where('id', '=', id).execute();
  }

  // ---- system addresses --------------------------------------------------------------------------

  async listAddresses(access: Access) {
    await access.assertAdmin();
    return (await repo.addressRows(this.db).orderBy('s.address').execute()).map(addressView);
  }

  private async addressRow(id: number, db: Kysely<DB> = this.db) {
    const row = await repo.addressRows(db).where('s.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFound('system address');
    return row;
  }

  async getAddress(access: Access, id: number) {
    await access.assertAdmin();
    return addressView(await this.addressRow(id));
  }

  async saveAddress(access: Access, id: number | undefined, input: AddressInput) {
    await access.assertAdmin();
    const savedId = await writeTransaction(
      this.db,
      async (db) => {
        const old = id === undefined ? undefined : await this.addressRow(id, db);
        const address = (input.address ?? old!.address).toLowerCase();
        const queueId = input.queue === undefined ? old!.queue_id : await this.queueId(db, input.queue, '/queue');
        if (await db.selectFrom('system_addresses').select('id').where('address', '=', address).$if(id !== undefined, (q) => q.where('id', '!=', id!)).executeTakeFirst()) {
          throw new Conflict(`"${address}" is a system address already`, '/address', 'DUPLICATE');
        }
        const values = { address, display_name: input.displayName ?? old?.display_name ?? '', queue_id: queueId, valid: input.valid ?? old?.valid ?? true };
        if (old) {
          await db.updateTable('system_addresses').set(values).where('id', '=', old.id).execute();
          return old.id;
        }
        return (await db.insertInto('system_addresses').values(values).returning('id').executeTakeFirstOrThrow()).id;
      },
      { message: 'this address is a system address already', path: '/address' },
    );
    return addressView(await this.addressRow(savedId));
  }

  async deleteAddress(access: Access, id: number): Promise<void> {
    await access.assertAdmin();
    await this.addressRow(id);
    await this.db.deleteFrom('system_addresses').where('id', '=', id).execute();
  }

  // ---- problem mails -----------------------------------------------------------------------------

  async listProblems(access: Access) {
    await access.assertAdmin();
    return (await repo.problemRows(this.db).orderBy('p.received_at', 'desc').orderBy('p.id', 'desc').execute()).map(problemView);
  }

  private async problemRow(id: number) {
    const row = await repo.problemRows(this.db).where('p.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFound('problem mail');
    return row;
  }

  async problemRaw(access: Access, id: number): Promise<{ raw: Uint8Array; filename: string }> {
    await access.assertAdmin();
    await this.problemRow(id);
    const { raw } = await this.db.selectFrom('problem_mails').select('raw').where('id', '=', id).executeTakeFirstOrThrow();
    return { raw, filename: `problem-mail-${id}.eml` };
  }

  /**
   * Runs the pipeline again on the kept raw mail. Success marks it reprocessed (it leaves the list,
   * pointing at its ticket); a new failure updates its code and reason in place (no second copy).
   * The row is claimed for a while first (`reprocessed_at`), so two clicks cannot make two tickets,
   * and a reprocess cut short (the database went away) leaves it in the list to try again later.
   */
  async reprocess(access: Access, id: number) {
    await access.assertAdmin();
    await this.problemRow(id);
    const now = this.services.now();
    const claimed = await this.db
      .updateTable('problem_mails')
      .set({ reprocessed_at: now })
      .where('id', '=', id)
      .where('status', '=', 'new')
      .where((eb) => eb.or([eb('reprocessed_at', 'is', null), eb('reprocessed_at', '<', new Date(now.getTime() - 10 * 60_000))]))
      .returning(['raw', 'queue_id'])
      .executeTakeFirst();
    if (!claimed) throw new Conflict('this mail is being reprocessed already; try again in a few minutes', undefined, 'REPROCESSING');
    const r = await attemptMail(this.services, { raw: Buffer.from(claimed.raw), source: 'reprocess', queueId: claimed.queue_id }, this.inbound());
    if (r.ok) {
      await this.db.updateTable('problem_mails').set({ status: 'reprocessed', ticket_id: r.outcome.ticketId ?? null }).where('id', '=', id).execute();
      const { outcome, ticketId, tn, articleId } = r.outcome;
      return { outcome, ...(ticketId !== undefined ? { ticketId, tn: tn!, articleId: articleId! } : {}) };
    }
    const { code, message } = r.problem;
    await this.db.updateTable('problem_mails').set({ reprocessed_at: null, code, reason: message.slice(0, 2000) }).where('id', '=', id).execute();
    return { outcome: 'problem' as const, code, reason: message };
  }

  async deleteProblem(access: Access, id: number): Promise<void> {
    await access.assertAdmin();
    await this.problemRow(id);
    await this.db.deleteFrom('problem_mails').where('id', '=', id).execute();
  }
}
