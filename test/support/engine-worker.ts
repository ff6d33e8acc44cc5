/**
 * A job-worker process for the durability test: opens the database named by DATABASE_URL (schema
 * ENGINE_SCHEMA) and runs the job loop (`startWorker`) until SIGTERM. Prints `ready` once running.
 *
 *   DATABASE_URL=postgres://... ENGINE_SCHEMA=s1 WORKER_ID=w1 node --import tsx test/support/engine-worker.ts
 */
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/index';
import { closeEngine } from '../../server/engine/engine';
import { startWorker } from '../../server/engine/worker';
import { createServices } from '../../server/services';

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, ...(process.env.ENGINE_SCHEMA ? { schema: process.env.ENGINE_SCHEMA } : {}), poolSize: 6 });
const services = createServices(database, config, pino({ level: 'warn' }));
const worker = startWorker(services, { ...(process.env.WORKER_ID ? { id: process.env.WORKER_ID } : {}) });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker.stop().then(() => closeEngine(services)).then(() => database.close()).then(() => process.exit(0));
});
