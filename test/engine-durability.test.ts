/**
 * Durability of script jobs (PostgreSQL only; skipped without TEST_DATABASE_URL): three worker
 * processes share a batch of 500 instances of start → script → end; one is killed with SIGKILL in
 * the middle and a replacement starts. Every instance completes, and no step is applied twice:
 * exactly one job per script run, each done once, and each script result exactly once in the
 * instance log and in the ticket history.
 */
import type { ChildProcess } from 'node:child_process';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { operatorAccess } from '../server/access/operator';
import { ensureAdmin } from '../server/auth/service';
import { loadConfig } from '../server/config';
import { createServices, type Services } from '../server/services';
import { closeEngine } from '../server/engine/engine';
import { ProcessTicketService } from '../server/engine/service';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './support/db';
import { scriptOnly } from './engine-server/processes';
import { insertActiveProcess } from './support/process-rows';
import { spawnWorker } from './support/spawn';

const INSTANCES = 500;

describe.skipIf(!TEST_DATABASE_URL)('engine durability on postgres', () => {
  let database: TestDatabase;
  let services: Services;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    services = createServices(database, { ...loadConfig({}), databaseUrl: TEST_DATABASE_URL }, pino({ level: 'silent' }));
    await ensureAdmin(database.db, 'admin-pw-123');
    await insertActiveProcess(database.db, scriptOnly);
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await closeEngine(services);
    await database?.close();
  });

  it('completes every instance exactly once although a worker is killed mid-batch', async () => {
    const db = database.db;
    workers.push(await spawnWorker(database.schema!, 'w1'), await spawnWorker(database.schema!, 'w2'), await spawnWorker(database.schema!, 'w3'));
    const access = (await operatorAccess(db))!;
    const svc = new ProcessTicketService(services);
    const doneBy = async (id: string) =>
      Number((await db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'done').where('locked_by', '=', id).executeTakeFirstOrThrow()).n);

    // Given 500 instances started while the workers run
    let killed = false;
    for (let i = 0; i < INSTANCES; i++) {
      await svc.create(access, { process: scriptOnly.key, ticket: { title: `Durable ${i}`, queue: 'Raw', article: { body: 'x' } } });
      // When, mid-batch, worker w1 has done some of the work, it is killed without warning and replaced
      if (!killed && i >= INSTANCES / 2 && (await doneBy('w1')) > 0) {
        workers[0]!.kill('SIGKILL');
        killed = true;
        workers.push(await spawnWorker(database.schema!, 'w4'));
      }
    }
    expect(killed).toBe(true);

    // Then every instance completes
    await vi.waitFor(
      async () => {
        const open = await db.selectFrom('process_instances').select((eb) => eb.fn.countAll().as('n')).where('status', '!=', 'completed').executeTakeFirstOrThrow();
        expect(Number(open.n)).toBe(0);
      },
      { timeout: 120_000, interval: 250 },
    );
    const instances = await db.selectFrom('process_instances').select(['id', 'status']).execute();
    expect(instances).toHaveLength(INSTANCES);

    // And no step was applied twice: one job per run, done once; one script entry per instance in the log and the history
    const jobs = await db.selectFrom('jobs').select(['instance_id', 'status', 'attempts', 'locked_by']).execute();
    expect(jobs).toHaveLength(INSTANCES);
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    expect(new Set(jobs.map((j) => j.instance_id)).size).toBe(INSTANCES);
    const perInstance = await db
      .selectFrom('process_instance_log')
      .select(['instance_id', (eb) => eb.fn.countAll().as('n')])
      .where('kind', '=', 'script')
      .groupBy('instance_id')
      .execute();
    expect(perInstance).toHaveLength(INSTANCES);
    expect(perInstance.every((r) => Number(r.n) === 1)).toBe(true);
    const ends = await db.selectFrom('process_instance_log').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'complete').executeTakeFirstOrThrow();
    expect(Number(ends.n)).toBe(INSTANCES);
    const history = await db
      .selectFrom('ticket_history')
      .select(['ticket_id', (eb) => eb.fn.countAll().as('n')])
      .where('field', '=', 'process')
      .where('message', 'like', '%Script task%')
      .groupBy('ticket_id')
      .execute();
    expect(history).toHaveLength(INSTANCES);
    expect(history.every((r) => Number(r.n) === 1)).toBe(true);
    // Every job was run by one of the four workers; w1 did part of the batch before it died, the survivors and the replacement the rest.
    expect(jobs.filter((j) => !['w1', 'w2', 'w3', 'w4'].includes(j.locked_by ?? '')).map((j) => j.locked_by)).toEqual([]);
    const byW1 = jobs.filter((j) => j.locked_by === 'w1').length;
    expect(byW1).toBeGreaterThan(0);
    expect(byW1).toBeLessThan(INSTANCES);
  }, 240_000);
});
