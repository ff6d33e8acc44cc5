/**
 * The job table under the process engine, driven deterministically (the worker is drained by the
 * test; the server clock is moved instead of waiting): a job left running by a dead worker is taken
 * over when its lease runs out, a repeated result is refused without applying the step twice, and
 * a job that keeps failing backs off and finally becomes an incident. PGlite, and PostgreSQL with
 * TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptPool } from '../engine/sandbox/index';
import { engineFor } from '../server/engine/engine';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { scriptOnly } from './engine-server/processes';

describe.each(databaseKinds)('engine jobs on %s', (kind) => {
  let h: EngineHelpdesk;
  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await deploy(h, scriptOnly);
  });
  afterAll(() => h?.close());

  const db = () => h.srv.database.db;
  const status = async (ticketId: number) => (await h.as.alice!.get(`/api/v1/tickets/${ticketId}/process`)).body;

  it('takes over the job of a worker that died once its lease ran out, and applies the step once', async () => {
    const s = await processTicket(h, 'alice', 'script-only');
    // A worker claimed the job and died: the job is running under a lease that has not run out yet.
    const lease = new Date(h.srv.services.now().getTime() + 60_000);
    await db().updateTable('jobs').set({ status: 'running', attempts: 1, locked_by: 'dead-worker', lease_until: lease }).where('instance_id', '=', s.instanceId).execute();
    expect(await h.worker.drain()).toBe(0);
    expect((await status(s.ticketId)).status).toBe('running');
    // When the lease has run out, another worker takes it over.
    h.srv.advance(61_000);
    expect(await h.worker.drain()).toBe(1);
    expect((await status(s.ticketId)).status).toBe('completed');
    const job = await db().selectFrom('jobs').select(['status', 'attempts', 'locked_by']).where('instance_id', '=', s.instanceId).executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: 2, locked_by: h.worker.id });
    // The same job delivered again (a worker that only seemed dead) changes nothing.
    await db().updateTable('jobs').set({ status: 'ready' }).where('instance_id', '=', s.instanceId).execute();
    expect(await h.worker.drain()).toBe(1);
    const scripts = await db().selectFrom('process_instance_log').select('id').where('instance_id', '=', s.instanceId).where('kind', '=', 'script').execute();
    expect(scripts).toHaveLength(1);
    expect((await db().selectFrom('jobs').select('status').where('instance_id', '=', s.instanceId).executeTakeFirstOrThrow()).status).toBe('done');
  });

  it('backs off a job that fails, and makes it an incident after its last attempt', async () => {
    const s = await processTicket(h, 'alice', 'script-only');
    // The job's payload is broken (no script), so running it fails every time.
    const row = await db().selectFrom('jobs').select('payload').where('instance_id', '=', s.instanceId).executeTakeFirstOrThrow();
    const { script: _script, ...broken } = row.payload as Record<string, unknown>;
    await db().updateTable('jobs').set({ payload: JSON.stringify(broken), max_attempts: 2 }).where('instance_id', '=', s.instanceId).execute();
    expect(await h.worker.drain()).toBe(1);
    let job = await db().selectFrom('jobs').select(['status', 'attempts', 'run_at', 'last_error']).where('instance_id', '=', s.instanceId).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'ready', attempts: 1 });
    expect(job.run_at.getTime()).toBeGreaterThan(h.srv.services.now().getTime());
    expect(await h.worker.drain()).toBe(0); // not due yet
    h.srv.advance(5_000);
    expect(await h.worker.drain()).toBe(1);
    job = await db().selectFrom('jobs').select(['status', 'attempts', 'run_at', 'last_error']).where('instance_id', '=', s.instanceId).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', attempts: 2 });
    const v = await status(s.ticketId);
    expect(v.status).toBe('incident');
    expect(v.incidents[0]).toMatchObject({ nodeId: 'work', code: 'SCRIPT_ERROR', message: expect.stringContaining('failed after 2 attempts') });
  });

  it('tries a script again when the host, not the script, failed it (its worker never started it), before any incident', async () => {
    const engine = engineFor(h.srv.services);
    const real = engine.pool;
    let calls = 0;
    const flaky: ScriptPool = {
      ...real(),
      run: (request) => {
        calls += 1;
        if (calls === 1) return Promise.resolve({ ok: false, error: { kind: 'script', message: 'the sandbox worker did not start the script within 10000 ms of receiving it (a busy host); its worker was stopped', host: true }, durationMs: 0 });
        return real().run(request);
      },
    };
    engine.pool = () => flaky;
    try {
      const s = await processTicket(h, 'alice', 'script-only');
      expect(await h.worker.drain()).toBe(1);
      let job = await db().selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('instance_id', '=', s.instanceId).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'ready', attempts: 1, last_error: expect.stringContaining('did not start the script') });
      expect((await status(s.ticketId)).status).toBe('running');
      h.srv.advance(5_000);
      expect(await h.worker.drain()).toBe(1);
      job = await db().selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('instance_id', '=', s.instanceId).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'done', attempts: 2 });
      const v = await status(s.ticketId);
      expect([v.status, v.incidents]).toEqual(['completed', []]);
      expect(calls).toBe(2);
    } finally {
      engine.pool = real;
    }
  });
});
