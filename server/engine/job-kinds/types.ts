/**
 * A job kind: what the worker does with a claimed job of that kind, OUTSIDE any transaction (run a
 * script, call a web service, notice a timer), and the event it then applies to the job's instance
 * in one transaction that also marks the job done. `givenUp` turns a job that failed for good (the
 * machinery broke `max_attempts` times) into an event, so its token becomes an incident instead of
 * waiting forever.
 */
import type { JobRow } from '../jobs';
import type { Engine } from '../engine';
import type { EventInput } from '../runner';
import type { Services } from '../../services';

export interface JobEnv {
  services: Services;
  engine: Engine;
}

/** Thrown by `run` to try the job again later (attempt counted): after `delayMs`. */
export class RetryJob extends Error {
  constructor(message: string, readonly delayMs: number) {
    super(message);
  }
}

export interface JobKind {
  /** The event to apply to `job.instance_id`; `null` when there is nothing to apply (the job is just done). */
  run(job: JobRow, payload: unknown, env: JobEnv): Promise<EventInput | null>;
  /** The event that records a job that failed for good. */
  givenUp?(job: JobRow, payload: unknown, message: string): EventInput | null;
}
