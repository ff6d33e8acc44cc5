/**
 * Fetching a mail account (IMAP/IMAPS with imapflow, POP3/POP3S with node-pop3) into the pipeline,
 * one message at a time: each message is processed (a ticket, a follow-up or a problem mail) before
 * it is marked read / remembered (keep) or deleted on the server, so a crash loses nothing and one
 * bad message never blocks the rest. When a mail cannot even be stored (the database is down) the
 * fetch stops and the message stays on the server for the next run. The host goes through the
 * outbound rules of server/outbound/ip.ts: a private, loopback or link-local address needs an entry
 * in the account's allow-list, and the connection goes to the address that was checked.
 */
import dns from 'node:dns/promises';
import { ImapFlow } from 'imapflow';
import Pop3Command from 'node-pop3';
import type { Selectable } from 'kysely';
import type { MailAccountsTable } from '../../db/tables-mail-inbound';
import { allowed, specialRange } from '../../outbound/ip';
import { decryptSecret, secretsKey } from '../../outbound/secrets';
import type { Services } from '../../services';
import type { InboundConfig } from './config';
import { processMail } from './pipeline';

export type MailAccountRow = Selectable<MailAccountsTable>;

export class MailFetchFailed extends Error {}

/** The address to connect to, after the allow-list check. */
export async function checkedAddress(host: string, port: number, allowList: string[]): Promise<string> {
  let address: string;
  try {
    address = (await dns.lookup(host)).address;
  } catch (e) {
    throw new MailFetchFailed(`the mail host "${host}" cannot be resolved (${(e as Error).message})`);
  }
  const special = specialRange(address);
  if (special && !allowed(allowList, host, address, port)) {
    throw new MailFetchFailed(`the mail host "${host}" is a ${special} address (${address}); add it (or "${host}:${port}") to the account's allow-list to connect`);
  }
  return address;
}

export const secretName = (account: { name: string }) => `mail-account:${account.name}`;

function password(services: Services, a: MailAccountRow): string {
  if (!a.secret) return '';
  return decryptSecret(a.secret, secretName(a), secretsKey(services));
}

export interface FetchResult {
  fetched: number;
  problems: number;
}

async function fetchImap(services: Services, a: MailAccountRow, address: string, inbound: InboundConfig, dryRun: boolean): Promise<FetchResult> {
  const client = new ImapFlow({
    host: address,
    port: a.port,
    secure: a.tls === 'tls',
    doSTARTTLS: a.tls === 'starttls' ? true : a.tls === 'none' ? false : undefined,
    servername: a.host,
    auth: { user: a.login, pass: password(services, a) },
    logger: false,
    connectionTimeout: 30_000,
  } as ConstructorParameters<typeof ImapFlow>[0]);
  client.on('error', () => undefined);
  const out = { fetched: 0, problems: 0 };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(a.folder);
    try {
      if (dryRun) return out;
      const uids = (await client.search(a.keep ? { seen: false } : { all: true }, { uid: true })) || [];
      for (const uid of uids) {
        const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (!msg || !msg.source) continue;
        const r = await processMail(services, { raw: msg.source, source: `account:${a.name}`, queueId: a.queue_id }, inbound);
        out.fetched++;
        if (r.outcome === 'problem') out.problems++;
        if (a.keep) await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        else await client.messageDelete(String(uid), { uid: true });
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
  return out;
}

async function fetchPop3(services: Services, a: MailAccountRow, address: string, inbound: InboundConfig, dryRun: boolean): Promise<FetchResult> {
  const pop = new Pop3Command({ host: address, port: a.port, tls: a.tls === 'tls', servername: a.host, user: a.login, password: password(services, a), timeout: 30_000 });
  const out = { fetched: 0, problems: 0 };
  const db = services.database.db;
  try {
    const list = (await pop.UIDL()) as string[][];
    if (dryRun) return out;
    const seen = a.keep ? new Set((await db.selectFrom('mail_fetched').select('uid').where('account_id', '=', a.id).execute()).map((r) => r.uid)) : new Set<string>();
    for (const [num, uid] of list) {
      if (!num || !uid || seen.has(uid)) continue;
      const text = await pop.RETR(Number(num));
      const r = await processMail(services, { raw: Buffer.from(text, 'latin1'), source: `account:${a.name}`, queueId: a.queue_id }, inbound);
      out.fetched++;
      if (r.outcome === 'problem') out.problems++;
      if (a.keep) await db.insertInto('mail_fetched').values({ account_id: a.id, uid }).onConflict((oc) => oc.doNothing()).execute();
      else await pop.DELE(Number(num));
    }
  } finally {
    await pop.QUIT().catch(() => undefined);
  }
  return out;
}

/** Fetches every new message of `account`; with `dryRun` only connects, logs in and opens the folder (the test button). */
export async function fetchAccount(services: Services, account: MailAccountRow, inbound: InboundConfig, dryRun = false): Promise<FetchResult> {
  const address = await checkedAddress(account.host, account.port, account.allow_list ?? []);
  try {
    return account.protocol === 'imap' ? await fetchImap(services, account, address, inbound, dryRun) : await fetchPop3(services, account, address, inbound, dryRun);
  } catch (e) {
    if (e instanceof MailFetchFailed) throw e;
    const err = e as Error & { responseText?: string };
    throw new MailFetchFailed(`${account.protocol.toUpperCase()} ${account.host}:${account.port}: ${err.responseText ?? err.message}`);
  }
}
