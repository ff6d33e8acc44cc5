/**
 * The outbound services the shipped processes call (`processes/services/<name>.json`), created on
 * start-up when missing — with placeholder addresses an admin replaces — so those processes deploy.
 * An existing service of the same name is left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Access } from '../access/access';
import { PROJECT_ROOT } from '../config';
import type { Services } from '../services';
import type { OutboundInput } from './schema';
import { OutboundService } from './service';

/**
 * Creates the shipped outbound services that do not exist yet.
 *
 * @example
 * await installShippedServices(services, access, log); // before the shipped processes deploy
 */
export async function installShippedServices(services: Services, access: Access, log: Logger, dir = path.join(PROJECT_ROOT, 'processes', 'services')): Promise<void> {
  if (!fs.existsSync(dir)) return;
  const svc = new OutboundService(services);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const input = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as OutboundInput & { name: string };
    const exists = await services.database.db.selectFrom('outbound_services').select('name').where('name', '=', input.name).executeTakeFirst();
    if (exists) continue;
    await svc.create(access, input);
    log.info({ service: input.name }, 'installed shipped outbound service');
  }
}
