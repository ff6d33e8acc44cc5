/** Kysely types of statistics and reports (migration 0033); `DB` in schema.ts extends this. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './columns';

export type StatKind = 'matrix' | 'list' | 'static';

export interface StatDefinitionsTable {
  id: Generated<number>;
  name: string;
  kind: StatKind;
  /** The definition document (server/stats/schema.ts), jsonb. */
  definition: ColumnType<unknown, string, string>;
  /** Counts every ticket, not only those the running agent may read (set by an administrator). */
  system_wide: Generated<boolean>;
  /** One of the statistics shipped with the product. */
  shipped: Generated<boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

export interface StatReportsTable {
  id: Generated<number>;
  name: string;
  /** The report document (server/stats/report-schema.ts), jsonb. */
  definition: ColumnType<unknown, string, string>;
  /** Cron expression of the schedule; null: run on demand only. */
  cron: string | null;
  time_zone: Generated<string>;
  enabled: Generated<boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  changed_at: CreatedAt;
}

export interface StatReportRunsTable {
  id: Generated<number>;
  report_id: number;
  trigger: 'manual' | 'schedule';
  /** The schedule slot (ISO time) of a scheduled run; null for manual runs. */
  slot: string | null;
  status: 'done' | 'failed';
  error: string | null;
  /** The addresses the files were mailed to, comma-separated. */
  recipients: Generated<string>;
  started_at: Timestamp;
  finished_at: Timestamp;
}

export interface StatReportFilesTable {
  id: Generated<number>;
  run_id: number;
  filename: string;
  content_type: string;
  size: number;
  content: Uint8Array;
}

export interface StatDashboardWidgetsTable {
  id: Generated<number>;
  agent_id: number;
  stat_id: number;
  chart: Generated<string>;
  position: Generated<number>;
}

export interface StatisticsTables {
  stat_definitions: StatDefinitionsTable;
  stat_reports: StatReportsTable;
  stat_report_runs: StatReportRunsTable;
  stat_report_files: StatReportFilesTable;
  stat_dashboard_widgets: StatDashboardWidgetsTable;
}
