/** Column helpers shared by the Kysely table types (tables-*.ts): how timestamptz columns read and write. */
import type { ColumnType } from 'kysely';

/** A timestamptz column: read as Date, written as Date or ISO string, defaulted by the database. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** A timestamptz column the writer always sets. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** A nullable timestamptz column (null until set). */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
