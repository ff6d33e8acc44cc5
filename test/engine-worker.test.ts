/**
 * The job worker's scheduling, driven by jobs of a test kind that finish when the test says so (no
 * sleeps, no timed assertions; the server clock is moved by the test): a long job does not keep the
 * worker from claiming and finishing short ones (slots are refilled as they free up), and a job that
 * runs longer than the lease keeps its lease (heartbeat), so a second worker does not run it too.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../server/config';
import { closeEngine } from '../server/engine/engine';
import { JOB_KINDS } from '../server/engine/job-kinds/index';
import { startWorker, type JobWorker } from '../server/engine/worker';
import { createServices, type Services } from '../server/services';
import { databaseKinds, createTestDatabase, type TestDatabase } from './support/db';

/** Jobs of kind `gated` run until the test opens their gate; `started` says which are running. */
const gates = new Map<string, () => void>();
const started: string[] = [];
JOB_KINDS.gated = {
  run(_job, payload) {
    const { name } = payload as { name: string };
    started.push(name);
    return new Promise((resolve) => gates.set(name, () => resolve(null)));
  },
};
const open = (name: string) => gates.get(name)!();

describe.each(databaseKinds)('job worker on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let offset = 0;
  const workers: JobWorker[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    services = createServices(database, loadConfig({}), pino({ level: 'silent' }), () => new Date(Date.UTC(2030, 0, 1) + offset));
  });
  afterEach(async () => {
    for (const name of gates.keys()) open(name);
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    gates.clear();
    started.length = 0;
    await database.db.deleteFrom('jobs').execute();
  });
  afterAll(async () => {
    await closeEngine(services);
    await database?.close();
  });

  const addJobs = (...names: string[]) =>
    database.db.insertInto('jobs').values(names.map((name) => ({ kind: 'gated', key: `gated:${name}`, payload: JSON.stringify({ name }), run_at: services.now() }))).execute();
  const statusOf = async (name: string) =>
    (await database.db.selectFrom('jobs').select('status').where('key', '=', `gated:${name}`).executeTakeFirstOrThrow()).status;
  const worker = (opts: Parameters<typeof startWorker>[1]) => {
    const w = startWorker(services, opts);
    workers.push(w);
    return w;
  };

  it('keeps claiming short jobs while a long one runs', async () => {
    await addJobs('long', 's1', 's2', 's3', 's4');
    const w = worker({ concurrency: 2, loop: false });
    const drained = w.drain();
    await vi.waitFor(() => expect(started).toEqual(['long', 's1']), { timeout: 20_000 });
    // Each short job that finishes frees its slot for the next one; the long one is still running.
    for (const name of ['s1', 's2', 's3', 's4']) {
      await vi.waitFor(() => expect(started).toContain(name), { timeout: 20_000 });
      open(name);
      await vi.waitFor(async () => expect(await statusOf(name)).toBe('done'), { timeout: 20_000 });
    }
    expect(started).toEqual(['long', 's1', 's2', 's3', 's4']);
    expect(await statusOf('long')).toBe('running');
    open('long');
    expect(await drained).toBe(5);
    expect(await statusOf('long')).toBe('done');
  });

  it('extends the lease of a job that runs longer than it, so a second worker does not run it too', async () => {
    await addJobs('slow');
    const first = worker({ concurrency: 1, loop: false, leaseMs: 1000, id: 'first' });
    const drained = first.drain();
    await vi.waitFor(() => expect(started).toEqual(['slow']), { timeout: 20_000 });
    // Far past the lease the job was claimed with; the running worker renews it while it works.
    offset += 60_000;
    const leaseNow = () => database.db.selectFrom('jobs').select('lease_until').where('key', '=', 'gated:slow').executeTakeFirstOrThrow();
    await vi.waitFor(async () => expect((await leaseNow()).lease_until!.getTime()).toBeGreaterThan(services.now().getTime()), { timeout: 20_000 });
    const second = worker({ concurrency: 1, loop: false, leaseMs: 1000, id: 'second' });
    expect(await second.drain()).toBe(0);
    expect(started).toEqual(['slow']);
    open('slow');
    expect(await drained).toBe(1);
    const job = await database.db.selectFrom('jobs').select(['status', 'attempts', 'locked_by']).where('key', '=', 'gated:slow').executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: 1, locked_by: 'first' });
  });
});
