/** Inbound mail tests: services on a fresh test database (no HTTP), the inbound settings, fixtures and rows to look at. */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import type { DatabaseKind } from '../../server/db/index';
import { loadInboundConfig, type InboundConfig } from '../../server/mail/inbound/config';
import { createServices, type Services } from '../../server/services';
import { createTestDatabase, type TestDatabase } from './db';

export const FIXTURES = path.resolve(import.meta.dirname, '../../server/mail/inbound/fixtures');

export function fixture(name: string, replace: Record<string, string> = {}): Buffer {
  let text = fs.readFileSync(path.join(FIXTURES, name), 'latin1');
  for (const [k, v] of Object.entries(replace)) text = text.replaceAll(k, v);
  return Buffer.from(text, 'latin1');
}

export function inboundConfig(env: Record<string, string> = {}): InboundConfig {
  return loadInboundConfig({ MAIL_ADDRESSES: 'support@helpdesk.test, sales@helpdesk.test=Sales', ...env });
}

export interface MailEnv {
  database: TestDatabase;
  services: Services;
  close(): Promise<void>;
}

export async function mailEnv(kind: DatabaseKind): Promise<MailEnv> {
  const database = await createTestDatabase(kind);
  const config = { ...loadConfig({}), port: 0, host: '127.0.0.1' };
  const services = createServices(database, config, pino({ level: 'silent' }));
  return { database, services, close: () => database.close() };
}

/** The `mail` jobs queued (what auto responses send), oldest first. */
export async function mailJobs(s: Services): Promise<any[]> {
  const rows = await s.database.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail').orderBy('id').execute();
  return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
}
