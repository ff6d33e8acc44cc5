/** Kysely types of the tables for process monitoring (migration 0012); `DB` in schema.ts extends this. */
import type { ColumnType, Generated } from 'kysely';

/** A bigint column: the driver reads it as a string; written as a number. */
type BigCount = ColumnType<string, number | string, number | string>;

export type StatsFactKind = 'visit' | 'started' | 'completed' | 'cancelled';

/** A fact a step produced, not rolled up yet (see migration 0012). */
export interface ProcessStatsPendingTable {
  id: Generated<string>;
  process_key: string;
  process_version: number;
  /** visit: a token left `node` after `ms`; completed: the instance ended after `ms`; started / cancelled: counted only. */
  kind: StatsFactKind;
  /** The node (visits); `''` for instance facts. */
  node: ColumnType<string, string | undefined, string>;
  /** The hour the fact belongs to. */
  bucket_start: ColumnType<Date, Date | string, Date | string>;
  /** Histogram slot of `ms` (`slotOf` in server/engine/effects/stats.ts). */
  slot: ColumnType<number, number | undefined, number>;
  ms: ColumnType<string, number | string | undefined, number | string>;
}

/** Roll-up grains: hour, day, month (UTC). */
export type StatsGrain = 'h' | 'd' | 'm';

/** Visit durations per version, node (`''` = completed instances) and hour / day / month, one row per occupied histogram slot. */
export interface ProcessStatsTable {
  process_key: string;
  process_version: number;
  grain: StatsGrain;
  node: string;
  bucket_start: ColumnType<Date, Date | string, Date | string>;
  slot: number;
  visits: BigCount;
  total_ms: BigCount;
}

/** Instances started, completed and cancelled per version and hour. */
export interface ProcessThroughputTable {
  process_key: string;
  process_version: number;
  bucket_start: ColumnType<Date, Date | string, Date | string>;
  started: BigCount;
  completed: BigCount;
  cancelled: BigCount;
}

export interface StatsTables {
  process_stats_pending: ProcessStatsPendingTable;
  process_stats: ProcessStatsTable;
  process_throughput: ProcessThroughputTable;
}
