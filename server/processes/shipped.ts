/**
 * The processes shipped in `processes/*.json`: imported and deployed on start-up when their key is
 * not installed yet, creating the queues, states and dynamic fields they name. An admin's changes
 * are never overwritten: a key that exists is left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Access } from '../access/access';
import { operatorAccess } from '../access/operator';
import { installShippedServices } from '../outbound/shipped';
import { ScriptService } from '../scripts/service';
import { PROJECT_ROOT } from '../config';
import type { Services } from '../services';
import { ProcessService } from './service';

export const SHIPPED_DIR = path.join(PROJECT_ROOT, 'processes');

/** The scripts the shipped processes call (`processes/scripts/<name>.js`), added when missing. */
export async function installShippedScripts(services: Services, access: Access, log: Logger, dir = path.join(SHIPPED_DIR, 'scripts')): Promise<void> {
  if (!fs.existsSync(dir)) return;
  const scripts = new ScriptService(services);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    const name = file.replace(/\.js$/, '');
    const exists = await services.database.db.selectFrom('scripts').select('name').where('name', '=', name).executeTakeFirst();
    if (exists) continue;
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const description = /^\/\/ (.*)/.exec(source)?.[1] ?? '';
    await scripts.create(access, { name, source, description });
    log.info({ script: name }, 'installed shipped script');
  }
}

export async function installShippedProcesses(services: Services, log: Logger, dir = SHIPPED_DIR): Promise<string[]> {
  const db = services.database.db;
  const access = await operatorAccess(db);
  if (!access) return [];
  await installShippedScripts(services, access, log, path.join(dir, 'scripts'));
  await installShippedServices(services, access, log, path.join(dir, 'services'));
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
