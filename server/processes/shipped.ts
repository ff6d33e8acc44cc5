/**
 * The processes shipped in `processes/*.json`: imported and deployed on start-up when their key is
 * not installed yet, creating the queues, states and dynamic fields they name. An admin's changes
 * are never overwritten: a key that exists is left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { operatorAccess } from '../access/operator';
import { PROJECT_ROOT } from '../config';
import type { Services } from '../services';
import { ProcessService } from './service';

export const SHIPPED_DIR = path.join(PROJECT_ROOT, 'processes');

export async function installShippedProcesses(services: Services, log: Logger, dir = SHIPPED_DIR): Promise<string[]> {
  const db = services.database.db;
  const access = await operatorAccess(db);
  if (!access) return [];
  const svc = new ProcessService(services);
  const installed: string[] = [];
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file));
    const key = (JSON.parse(text.toString('utf8')) as { key?: string }).key;
    if (!key || (await db.selectFrom('processes').select('key').where('key', '=', key).executeTakeFirst())) continue;
    try {
      const r = await svc.import(access, text, { contentType: 'application/json', createMissing: true, deploy: true });
      installed.push(key);
      log.info({ process: key, version: r.version, created: r.created.map((c) => `${c.kind} ${c.name}`) }, 'installed shipped process');
    } catch (err) {
      log.error({ err, process: key }, 'could not install a shipped process');
    }
  }
  return installed;
}
