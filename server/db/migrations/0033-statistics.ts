/**
 * Statistics and reports (issue 23). `stat_definitions` holds statistic definitions (matrix, list or
 * static; the definition itself is a JSON document, see server/stats/schema.ts); `stat_reports`
 * bundles statistics with a headline, preamble, epilogue and an optional cron schedule;
 * `stat_report_runs` is each report's run history and `stat_report_files` the files a run produced;
 * `stat_dashboard_widgets` places statistics on an agent's dashboard. The `stats` group carries
 * the permission to run (`ro`) and to define (`rw`) statistics. An index on `changed_at` serves
 * the "changed" time dimension (created_at has one since 0006).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stat_definitions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('matrix', 'list', 'static')`))
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('system_wide', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('shipped', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('stat_reports')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('cron', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('stat_report_runs')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('report_id', 'integer', (c) => c.notNull().references('stat_reports.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('manual', 'schedule')`))
    // The schedule slot a scheduled run belongs to: a run repeated after a crash finds its slot taken.
    .addColumn('slot', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('done', 'failed')`))
    .addColumn('error', 'text')
    .addColumn('recipients', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('stat_report_runs_slot', ['report_id', 'slot'])
    .execute();
  await db.schema.createIndex('stat_report_runs_report').on('stat_report_runs').columns(['report_id', 'id']).execute();

  await db.schema
    .createTable('stat_report_files')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('run_id', 'integer', (c) => c.notNull().references('stat_report_runs.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stat_report_files_run').on('stat_report_files').column('run_id').execute();

  await db.schema
    .createTable('stat_dashboard_widgets')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('stat_id', 'integer', (c) => c.notNull().references('stat_definitions.id').onDelete('cascade'))
    .addColumn('chart', 'text', (c) => c.notNull().defaultTo('bar'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('stat_dashboard_widgets_agent_stat', ['agent_id', 'stat_id'])
    .execute();

  await db.schema.createIndex('tickets_changed_at').on('tickets').column('changed_at').execute();
  await sql`insert into groups (name, comment) values ('stats', 'Statistics: ro runs them, rw defines them.') on conflict (name) do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_changed_at').execute();
  for (const t of ['stat_dashboard_widgets', 'stat_report_files', 'stat_report_runs', 'stat_reports', 'stat_definitions']) await db.schema.dropTable(t).execute();
  await db.deleteFrom('groups').where('name', '=', 'stats').execute();
}
