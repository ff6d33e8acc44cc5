/** Kysely types of the tables for outbound web services (migration 0010); `DB` in schema.ts extends this. */
import type { ColumnType } from 'kysely';
import type { CreatedAt } from './columns';

/** A jsonb column: read parsed, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

export type OutboundAuthKind = 'none' | 'basic' | 'bearer' | 'apiKey';

/** How an answer is mapped: variable / dynamic field name → JSON pointer into the response body. */
export interface OutboundResponseMapping {
  vars?: Record<string, string>;
  dynamicFields?: Record<string, string>;
}

/** One operation of an outbound service; every text may hold `{{ticket.…}}`, `{{vars.…}}`, `{{params.…}}`. */
export interface OutboundOperation {
  description?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the base URL; values inserted into it are URL-encoded. */
  path: string;
  query?: Record<string, string>;
  /** A JSON template: a lone `{{…}}` keeps its type. */
  body?: unknown;
  headers?: Record<string, string>;
  response?: OutboundResponseMapping;
  /** Statuses that count as success (default: every 2xx). */
  successStatuses?: number[];
}

export interface OutboundServicesTable {
  name: string;
  description: ColumnType<string, string | undefined, string>;
  base_url: string;
  auth_kind: ColumnType<OutboundAuthKind, OutboundAuthKind | undefined, OutboundAuthKind>;
  /** Basic auth: the user name. */
  auth_user: string | null;
  /** API key auth: the header carrying the key. */
  auth_header: string | null;
  /** The password / token / key, encrypted (`v1.<key id>.<iv>.<tag>.<ciphertext>`); never returned by the API. */
  secret: string | null;
  headers: Json<Record<string, string>>;
  timeout_ms: ColumnType<number, number | undefined, number>;
  retries: ColumnType<number, number | undefined, number>;
  /** Hosts, addresses and CIDRs that may be called although private or loopback. */
  allow_list: Json<string[]>;
  operations: Json<Record<string, OutboundOperation>>;
  max_response_bytes: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  created_by: number | null;
  changed_at: CreatedAt;
  changed_by: number | null;
}

export interface OutboundTables {
  outbound_services: OutboundServicesTable;
}
