/**
 * Process monitoring (issue 7): what the step observer (`server/engine/effects/stats.ts`) measures,
 * kept so the statistics of a process version never scan its instances.
 *
 * - `process_stats_pending`: append-only facts, one row per node visit that ended, per started,
 *   completed or cancelled instance (a step only INSERTs here, so concurrent steps of one process
 *   never wait on each other's row locks).
 * - `process_stats`: the roll-up of visit durations per process version and node (`''` = the
 *   whole instance, completed ones), as a sparse log-scale histogram: one row per occupied slot
 *   (slot 0: under 1 ms; slot s ≥ 1: [2^((s-1)/4), 2^(s/4)) ms, four slots per doubling) with its
 *   count and summed milliseconds, so averages are exact and p95 is the mean of the slot it falls in.
 *   Kept at three grains (`h` hour, `d` day, `m` month, UTC), so any range is read as whole months
 *   plus the days and hours at its edges: a few thousand rows, however many instances ran.
 * - `process_throughput`: started / completed / cancelled instances per version and hour.
 *
 * Each server process moves pending rows into the two roll-ups at most once a minute while it
 * records facts; readers add the pending rows still waiting, so figures are current either way.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('process_stats_pending')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('process_key', 'text', (c) => c.notNull())
    .addColumn('process_version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('visit', 'started', 'completed', 'cancelled')`))
    .addColumn('node', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('slot', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('process_stats_pending_version').on('process_stats_pending').columns(['process_key', 'process_version']).execute();

  await db.schema
    .createTable('process_stats')
    .addColumn('process_key', 'text', (c) => c.notNull())
    .addColumn('process_version', 'integer', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull().check(sql`grain in ('h', 'd', 'm')`))
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('slot', 'smallint', (c) => c.notNull())
    .addColumn('visits', 'bigint', (c) => c.notNull())
    .addColumn('total_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('process_stats_pk', ['process_key', 'process_version', 'grain', 'bucket_start', 'node', 'slot'])
    .execute();

  await db.schema
    .createTable('process_throughput')
    .addColumn('process_key', 'text', (c) => c.notNull())
    .addColumn('process_version', 'integer', (c) => c.notNull())
    .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
    .addColumn('started', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('completed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('process_throughput_pk', ['process_key', 'process_version', 'bucket_start'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['process_throughput', 'process_stats', 'process_stats_pending']) await db.schema.dropTable(t).execute();
}
