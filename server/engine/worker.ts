/**
 * The job worker: claims due jobs under a lease (`FOR UPDATE SKIP LOCKED`, so several processes
 * share the work and a dead process's jobs are taken over when their lease runs out), as many as
 * it has free slots, refilling a slot as soon as its job ends (a long job never holds up short
 * ones), renews the lease of each running job every third of the lease (a slow job keeps it, so
 * no other process runs it at the same time), runs each by its kind (`job-kinds/`: a script in the sandbox pool, ...) OUTSIDE any transaction, then
 * applies the resulting event in one transaction that also marks the job done. A result the instance refuses as
 * stale (the step happened already) just marks the job done. Woken by LISTEN/NOTIFY on PostgreSQL,
 * with a short polling fallback (PGlite polls). Tests call `drain()` instead of starting the loop.
 *
 * Configuration: `WORKER_CONCURRENCY` (jobs at once, default 4), `WORKER_POLL_MS` (default 1000),
 * `WORKER_LEASE_MS` (default 30000; renewed while the job runs).
 */
import { hostname } from 'node:os';
import pg from 'pg';
import { EventRefused } from '../../engine/errors';
import type { Services } from '../services';
import { engineFor } from './engine';
import { JOB_KINDS, RetryJob } from './job-kinds/index';
import { claimJobs, failAbandonedJobs, finishJob, releaseJob, renewLease, type JobRow } from './jobs';
import { JOBS_CHANNEL } from './runner';

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  /** Identifies this worker in `jobs.locked_by` (default host:pid:n). */
  id?: string;
  /** Run the loop (default true); false gives a worker driven by `drain()` only. */
  loop?: boolean;
}

export interface JobWorker {
  readonly id: string;
  /** Runs jobs until none is due (and none of ours is running); resolves to how many ran. */
  drain(): Promise<number>;
  /** Stops the loop and waits for running jobs. */
  stop(): Promise<void>;
}

const envInt = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

let counter = 0;

/**
 * Starts a job worker for `services`.
 *
 * @example
 * const worker = startWorker(services);            // in main.ts
 * await worker.stop();                             // before the database closes
 * const w = startWorker(services, { loop: false }); await w.drain(); // in tests
 */
export function startWorker(services: Services, opts: WorkerOptions = {}): JobWorker {
  const id = opts.id ?? `${hostname()}:${process.pid}:${++counter}`;
  const concurrency = opts.concurrency ?? envInt('WORKER_CONCURRENCY', 4);
  const pollMs = opts.pollMs ?? envInt('WORKER_POLL_MS', 1000);
  const leaseMs = opts.leaseMs ?? envInt('WORKER_LEASE_MS', 30_000);
  const heartbeatMs = Math.max(10, Math.floor(leaseMs / 3));
  const db = services.database.db;
  const engine = engineFor(services);
  let stopped = false;
  let wake: (() => void) | undefined;
  let listener: pg.Client | undefined;

  const env = { services, engine };
  const payloadOf = (job: JobRow) => (typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload) as unknown;

  async function runJob(job: JobRow): Promise<void> {
    const now = () => services.now();
    try {
      const kind = JOB_KINDS[job.kind];
      if (!kind) throw new Error(`unknown job kind "${job.kind}"`);
      const event = await kind.run(job, payloadOf(job), env);
      if (!event || job.instance_id === null) {
        await finishJob(db, job.id, now());
        return;
      }
      await engine.ready();
      try {
        await engine.runner.applyEvent(Number(job.instance_id), event, { by: { kind: 'system', id: null }, actor: 'system', jobId: job.id });
      } catch (e) {
        if (!(e instanceof EventRefused)) throw e;
        await finishJob(db, job.id, now());
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof RetryJob)) services.log.warn({ err: e, jobId: job.id, attempts: job.attempts }, 'job failed');
      const last = await releaseJob(db, job, message, now(), e instanceof RetryJob ? e.delayMs : undefined).catch((err: unknown) => {
        services.log.error({ err }, 'could not release a job');
        return false;
      });
      if (last) await givenUp(job, message);
    }
  }

  /** A job failed for good: its token becomes an incident instead of waiting forever. */
  async function givenUp(job: JobRow, message: string): Promise<void> {
    const event = JOB_KINDS[job.kind]?.givenUp?.(job, payloadOf(job), message);
    if (!event || job.instance_id === null) return;
    try {
      await engine.ready();
      await engine.runner.applyEvent(Number(job.instance_id), event, { by: { kind: 'system', id: null }, actor: 'system' });
    } catch (err) {
      if (!(err instanceof EventRefused)) services.log.error({ err, jobId: job.id }, 'could not record a failed job on its instance');
    }
  }

  const running = new Set<Promise<void>>();
  /** Jobs of ours that have ended (a job that ends while we claim may have queued the next one). */
  let ended = 0;

  /** Starts a claimed job in a free slot, renewing its lease while it runs; a finished job wakes the loop to refill its slot. */
  function start(job: JobRow): void {
    const beat = setInterval(() => {
      renewLease(db, job.id, id, services.now(), leaseMs).catch((err: unknown) => services.log.warn({ err, jobId: job.id }, 'could not renew a job lease'));
    }, heartbeatMs);
    beat.unref();
    const p = runJob(job).finally(() => {
      clearInterval(beat);
      ended += 1;
      running.delete(p);
      wake?.();
    });
    running.add(p);
  }

  /** Claims as many due jobs as there are free slots and starts them (without waiting for them); resolves to how many. */
  async function fill(): Promise<number> {
    for (const job of await failAbandonedJobs(db, services.now())) await givenUp(job, job.last_error ?? 'abandoned');
    const free = concurrency - running.size;
    if (free <= 0) return 0;
    const jobs = await claimJobs(db, id, free, services.now(), leaseMs);
    for (const job of jobs) start(job);
    return jobs.length;
  }

  /** Resolves when one of our running jobs has finished. */
  const oneFinished = () => Promise.race([...running].map((p) => p.catch(() => undefined)));

  async function loop(): Promise<void> {
    while (!stopped) {
      let n = 0;
      const before = ended;
      try {
        n = await fill();
      } catch (err) {
        services.log.warn({ err }, 'claiming jobs failed');
      }
      if (stopped) break;
      // More may be due while a slot is free; otherwise wait for a slot to free up, a notification or the poll.
      if ((n > 0 && running.size < concurrency) || ended !== before) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  async function listen(): Promise<void> {
    const url = services.config.databaseUrl;
    if (services.database.kind !== 'postgres' || !url) return;
    try {
      listener = new pg.Client({ connectionString: url });
      listener.on('notification', () => wake?.());
      listener.on('error', (err) => services.log.warn({ err }, 'job LISTEN connection failed; polling'));
      await listener.connect();
      await listener.query(`LISTEN ${JOBS_CHANNEL}`);
    } catch (err) {
      services.log.warn({ err }, 'could not LISTEN for jobs; polling');
    }
  }

  let looping: Promise<void> | undefined;
  if (opts.loop !== false) looping = listen().then(loop);

  return {
    id,
    async drain() {
      let total = 0;
      for (;;) {
        const before = ended;
        const n = await fill();
        total += n;
        if (n === 0 && running.size === 0 && ended === before) return total;
        if (running.size > 0 && (n === 0 || running.size >= concurrency)) await oneFinished();
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await looping;
      await Promise.all([...running]);
      await listener?.end().catch(() => undefined);
    },
  };
}
