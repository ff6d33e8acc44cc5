/**
 * Mail accounts on a real Dovecot started by the test (test/support/dovecot.ts): IMAP and POP3
 * fetches turn the mailbox into tickets in the account's queue, delete or keep (mark read /
 * remember) the messages, keep an oversized one as a problem mail without blocking the rest, and a
 * loopback host is refused unless the account's allow-list names it. Skipped without dovecot,
 * except under CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInboundConfig } from '../server/mail/inbound/config';
import { fetchAccount, secretName, type MailAccountRow } from '../server/mail/inbound/fetch';
import { closeParsePool } from '../server/mail/inbound/parse-pool';
import { encryptSecret, secretsKey } from '../server/outbound/secrets';
import { databaseKinds } from './support/db';
import { DOVECOT_PASSWORD, DOVECOT_USER, dovecotAvailable, startDovecot, type Dovecot } from './support/dovecot';
import { createQueue } from './support/fixtures';
import { mailEnv, type MailEnv } from './support/mail';

const have = dovecotAvailable();
// PostgreSQL installs need SECRETS_KEY to store the account password (PGlite would generate one).
process.env.SECRETS_KEY ??= 'ab'.repeat(32);
if (!have && process.env.CI) throw new Error('dovecot is required under CI (apt-get install dovecot-imapd dovecot-pop3d)');

afterAll(() => closeParsePool());

const mail = (n: string, extra = '') => `From: kim@customer.test\r\nTo: support@helpdesk.test\r\nSubject: ${n}\r\nMessage-ID: <${n}@customer.test>\r\n\r\nBody of ${n}.${extra}\r\n`;

describe.skipIf(!have).each(databaseKinds)('mail accounts on Dovecot (%s)', (kind) => {
  let env: MailEnv;
  let dove: Dovecot;
  let queueId: number;
  const inbound = loadInboundConfig({ MAIL_MAX_BYTES: '5000' });
  beforeAll(async () => {
    env = await mailEnv(kind);
    dove = await startDovecot();
    env.services.config.dataDir = dove.dir;
    queueId = await createQueue(env.database.db, 'Mailbox', 'users');
  });
  afterAll(async () => {
    await dove?.stop();
    await env?.close();
  });

  async function account(protocol: 'imap' | 'pop3', keep: boolean, allowList = ['127.0.0.1']): Promise<MailAccountRow> {
    const name = `${protocol}-${keep}-${allowList.length}`;
    const secret = encryptSecret(DOVECOT_PASSWORD, secretName({ name }), secretsKey(env.services));
    return env.database.db
      .insertInto('mail_accounts')
      .values({ name, protocol, host: '127.0.0.1', port: protocol === 'imap' ? dove.imapPort : dove.pop3Port, tls: 'none', login: DOVECOT_USER, secret, keep, queue_id: queueId, allow_list: JSON.stringify(allowList) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  const titles = async () => (await env.database.db.selectFrom('tickets').select('title').where('queue_id', '=', queueId).orderBy('id').execute()).map((t) => t.title);

  it('refuses a loopback mail host that is not on the allow-list', async () => {
    await expect(fetchAccount(env.services, await account('imap', false, []), inbound)).rejects.toThrow(/loopback address.*allow-list/);
  });

  it('fetches by IMAP into tickets, deletes them, and keeps an oversized one as a problem mail without blocking the rest', async () => {
    dove.deliver(mail('imap-1'));
    dove.deliver(mail('imap-big', 'x'.repeat(6000)));
    dove.deliver(mail('imap-2'));
    const r = await fetchAccount(env.services, await account('imap', false), inbound);
    expect(r).toEqual({ fetched: 3, problems: 1 });
    expect((await titles()).sort()).toEqual(['imap-1', 'imap-2']);
    const p = await env.database.db.selectFrom('problem_mails').select(['code', 'source', 'subject']).executeTakeFirstOrThrow();
    expect(p).toEqual({ code: 'TOO_LARGE', source: 'account:imap-false-1', subject: 'imap-big' });
    expect(dove.count()).toBe(0);
  });

  it('fetches by POP3 keeping the messages on the server without fetching them twice', async () => {
    dove.deliver(mail('pop-1'));
    const a = await account('pop3', true);
    expect(await fetchAccount(env.services, a, inbound)).toEqual({ fetched: 1, problems: 0 });
    expect(await fetchAccount(env.services, a, inbound)).toEqual({ fetched: 0, problems: 0 });
    expect(dove.count()).toBe(1);
    expect(await titles()).toContain('pop-1');
  });
});
