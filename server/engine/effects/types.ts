/**
 * What an effect handler gets: the step's transaction, the instance row, its definition, the clock
 * reading, and the two outputs it may add to — rows for the instance log / ticket history, and
 * jobs to insert (they commit with the step's state). One handler per effect type (see
 * `effects/index.ts`); a handler writes only inside `trx`.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Process } from '../../../engine/model/types';
import type { Effect, StepResult } from '../../../engine/runtime/index';
import type { DB, JobsTable, ProcessInstancesTable } from '../../db/schema';
import type { Services } from '../../services';
import type { LogRow } from '../history';
import type { StepOptions, StepRunner } from '../runner';

export interface EffectContext {
  trx: Kysely<DB>;
  services: Services;
  /** The runner (a handler may step another instance in the same transaction: a child process). */
  runner: StepRunner;
  inst: Selectable<ProcessInstancesTable>;
  def: Process;
  /** The step's result (state after the step, every effect, the log). */
  result: StepResult;
  /** The state before the step (null for a start). */
  before: StepResult['state'] | null;
  now: Date;
  opts: StepOptions;
  rows: LogRow[];
  jobs: Array<Insertable<JobsTable>>;
}

export type EffectHandler<T extends Effect['type'] = Effect['type']> = (ctx: EffectContext, effect: Extract<Effect, { type: T }>) => Promise<void> | void;

/** Runs after every persisted step (statistics, say), in the step's transaction. */
export type StepObserver = (ctx: EffectContext) => Promise<void> | void;
