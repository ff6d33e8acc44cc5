/** `npx helpdesk mail read < message.eml` (an MTA pipe): the mail becomes a ticket in the data folder's database; bad input is kept as a problem mail; empty input is a usage error. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../server/config';
import { openDatabase } from '../server/db/index';
import { fixture } from './support/mail';

const BIN = path.join(PROJECT_ROOT, 'bin/helpdesk.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = (input: Buffer) =>
  spawnSync(process.execPath, [BIN, 'mail', 'read'], { input, env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir, LOG_LEVEL: 'warn', MAIL_ADDRESSES: 'support@helpdesk.test' }, encoding: 'utf8', timeout: 120_000 });

describe('helpdesk mail read', () => {
  it('reads a mail from standard input into a ticket, keeps a malformed one as a problem mail, and refuses empty input', async () => {
    const ok = read(fixture('new-ticket.eml'));
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^new-ticket \d{16}\n$/);
    const bad = read(fixture('malformed.eml'));
    expect(bad.status).toBe(0);
    expect(bad.stdout).toMatch(/^kept as problem mail \d+: this is not a mail/);
    expect(read(Buffer.alloc(0)).status).toBe(2);

    const database = await openDatabase({ dataDir: dir });
    try {
      const t = await database.db.selectFrom('tickets').select('title').execute();
      expect(t.map((x) => x.title)).toEqual(['Drucker kaputt – bitte helfen']);
      expect((await database.db.selectFrom('problem_mails').select('code').execute()).map((p) => p.code)).toEqual(['MALFORMED']);
    } finally {
      await database.close();
    }
  }, 300_000);
});
