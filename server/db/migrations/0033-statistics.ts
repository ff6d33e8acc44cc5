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

/** The statistics shipped with the product (OTRS's eleven, as this product computes them), frozen here. */
const SHIPPED: Array<Record<string, unknown>> = [
  { name: 'New tickets', kind: 'matrix', description: 'Tickets created per queue and month.', x: { dimension: 'created', grain: 'month', changeable: true }, y: { dimension: 'queue', changeable: true }, filters: [{ dimension: 'created', changeable: true }], chart: 'stackedBar' },
  { name: 'Closed tickets', kind: 'matrix', description: 'Tickets closed per queue and month.', x: { dimension: 'closed', grain: 'month', changeable: true }, y: { dimension: 'queue', changeable: true }, filters: [{ dimension: 'closed', changeable: true }], chart: 'bar' },
  { name: 'Overview of all tickets', kind: 'list', description: 'Every ticket with its main attributes.', columns: ['tn', 'title', 'queue', 'state', 'priority', 'owner', 'customerUser', 'created', 'closed'], filters: [{ dimension: 'created', changeable: true }], chart: 'table' },
  { name: 'Tickets by state and priority', kind: 'matrix', description: 'Current tickets per state and priority.', x: { dimension: 'priority', changeable: true }, y: { dimension: 'state', changeable: true }, chart: 'stackedBar' },
  { name: 'Accounted time per agent and month', kind: 'matrix', measure: 'timeUnits', description: 'Time units booked on the tickets each agent owns, per month of ticket creation.', x: { dimension: 'created', grain: 'month', changeable: true }, y: { dimension: 'owner', changeable: true }, chart: 'bar' },
  { name: 'Most time-consuming tickets', kind: 'list', description: 'Tickets by the time units booked on them, most first.', columns: ['tn', 'title', 'queue', 'owner', 'timeUnits'], orderBy: 'timeUnits', descending: true, chart: 'table' },
  { name: 'Closed tickets by solution time', kind: 'static', static: 'solution-time', description: 'Closed tickets, longest solution time first.', chart: 'table' },
  { name: 'Tickets by first response time', kind: 'static', static: 'response-time', description: 'Answered tickets, longest time to the first answer first.', chart: 'table' },
  { name: 'Open tickets by time left until the response deadline', kind: 'static', static: 'time-left-response', description: 'Open, unanswered tickets with an SLA, least time left first.', chart: 'table' },
  { name: 'Open tickets by time left until the solution deadline', kind: 'static', static: 'time-left-solution', description: 'Open tickets with an SLA, least time left first.', chart: 'table' },
  { name: 'Changes of ticket states', kind: 'static', static: 'state-changes', description: 'State changes per day and new state.', chart: 'line' },
  { name: 'Average solution time per month', kind: 'static', static: 'average-solution-time', description: 'Tickets closed per month and their average solution time.', chart: 'line' },
  { name: 'Process statistics', kind: 'static', static: 'process', systemWide: true, description: 'Instances and time per node of each process, from the process monitoring figures.', chart: 'table' },
];

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
  for (const d of SHIPPED) {
    const definition = { format: 'stat/1', ...d };
    await db.insertInto('stat_definitions').values({ name: d.name, kind: d.kind, definition: JSON.stringify(definition), system_wide: !!d.systemWide, shipped: true }).execute();
  }
  await sql`insert into groups (name, comment) values ('stats', 'Statistics: ro runs them, rw defines them.') on conflict (name) do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_changed_at').execute();
  for (const t of ['stat_dashboard_widgets', 'stat_report_files', 'stat_report_runs', 'stat_reports', 'stat_definitions']) await db.schema.dropTable(t).execute();
  await db.deleteFrom('groups').where('name', '=', 'stats').execute();
}
