/**
 * Process-wide caches of rarely-changing rows (API token → agent, agents, group permissions,
 * catalogue entries by id and name), kept correct across server processes: a trigger on each
 * watched table (migration 0036) sends `NOTIFY helpdesk_table_changes` with `<schema>.<table>` at
 * commit, and every process LISTENs and drops what it holds of that table. Writes made through
 * this process's Kysely drop the caches at once, as the statement runs (a Kysely plugin that reads
 * the statement's target table), so the caller's next request never sees the old row.
 *
 * A cache answers only while the listener is connected (PGlite: always, it is one process); without
 * it every read goes to the database. A value read while a change was announced is not stored
 * (generation check), and reads inside a transaction are never stored (they may see uncommitted rows).
 *
 * @example
 * const permissions = tableCache<number, Perms>(db, 'permissions', ['agent_groups', 'groups']);
 * const p = await permissions?.get(db, agentId, () => loadPermissions(db, agentId));
 */
import {
  ColumnNode,
  DeleteQueryNode,
  InsertQueryNode,
  TableNode,
  UpdateQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/** The PostgreSQL channel of the trigger in migration 0036. */
export const TABLE_CHANNEL = 'helpdesk_table_changes';

/** How a database delivers the channel's payloads (PostgreSQL: a LISTEN connection; PGlite: its own listen). */
export interface ChangeFeed {
  /**
   * Starts listening; resolves once listening to the connection's schema (payloads of other schemas
   * are ignored), calls `onPayload` per notification and `onLost` when the feed broke.
   */
  listen(onPayload: (payload: string) => void, onLost: () => void): Promise<string>;
  close(): Promise<void>;
}

/** Any Kysely instance or transaction (only what the caches need of it). */
export interface AnyDb {
  readonly isTransaction: boolean;
  getExecutor(): { readonly plugins: ReadonlyArray<KyselyPlugin> };
}

/** Columns whose change is not announced (the trigger of 0036 leaves them out too). */
const QUIET_COLUMNS: Record<string, Set<string>> = { api_tokens: new Set(['last_used_at']) };

/** One cache: values by key, dropped when one of its tables changes. */
export class TableCache<K, V> {
  private readonly values = new Map<K, V>();
  private generation = 0;

  constructor(
    private readonly changes: TableChanges,
    readonly tables: readonly string[],
    private readonly max = 10_000,
  ) {}

  /** Drops everything (a watched table changed). */
  clear(): void {
    this.generation++;
    this.values.clear();
  }

  /**
   * The cached value, else `load()`'s, stored when it is safe to (listening, not inside a
   * transaction, nothing announced meanwhile). `undefined` results are not stored.
   */
  async get(db: AnyDb, key: K, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const live = this.changes.live();
    if (live) {
      const hit = this.values.get(key);
      if (hit !== undefined) return hit;
    }
    const generation = this.generation;
    const value = await load();
    if (live && value !== undefined && !db.isTransaction && generation === this.generation && this.changes.live()) {
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }

  /** Forgets one key (e.g. a token marked revoked by this process). */
  delete(key: K): void {
    this.generation++;
    this.values.delete(key);
  }
}

/** The caches of one database, and what keeps them correct. */
export class TableChanges {
  private readonly caches = new Map<string, TableCache<unknown, unknown>>();
  private listening = false;
  private starting: Promise<void> | undefined;
  private closed = false;
  private mySchema: string | undefined;
  readonly plugin: KyselyPlugin;

  constructor(private readonly feed: ChangeFeed | undefined) {
    this.plugin = new TableChangesPlugin(this);
  }

  /** Whether caches may answer: the feed is up (starting it on first use). */
  live(): boolean {
    if (this.listening) return true;
    if (this.feed && !this.starting && !this.closed) {
      this.starting = this.start().catch(() => {
        this.starting = undefined; // tried again on a later use
      });
    }
    return false;
  }

  private async start(): Promise<void> {
    this.mySchema = await this.feed!.listen(
      (payload) => {
        const dot = payload.lastIndexOf('.');
        if (payload.slice(0, dot) === this.mySchema) this.changed(payload.slice(dot + 1));
      },
      () => {
        this.listening = false;
        this.starting = undefined;
        this.clearAll();
      },
    );
    this.clearAll(); // anything changed before we listened
    this.listening = !this.closed;
  }

  /** The cache called `name` watching `tables` (one per name and database). */
  cache<K, V>(name: string, tables: readonly string[]): TableCache<K, V> {
    let c = this.caches.get(name);
    if (!c) this.caches.set(name, (c = new TableCache(this, tables)));
    return c as TableCache<K, V>;
  }

  /** A watched table changed: drops every cache that reads it. */
  changed(table: string): void {
    if (table === '*') return this.clearAll();
    for (const c of this.caches.values()) if (c.tables.includes(table)) c.clear();
  }

  private clearAll(): void {
    for (const c of this.caches.values()) c.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    await this.starting?.catch(() => undefined);
    this.clearAll();
    await this.feed?.close();
  }
}

/** Sees every insert, update and delete this process sends, and drops the caches of its table. */
class TableChangesPlugin implements KyselyPlugin {
  private readonly pending = new WeakMap<object, string>();

  constructor(readonly changes: TableChanges) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const table = writtenTable(args.node);
    if (table) {
      this.changes.changed(table); // before: a read racing the write is not stored (generation)
      this.pending.set(args.queryId, table);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const table = this.pending.get(args.queryId);
    if (table) this.changes.changed(table); // and after, for reads that began meanwhile
    return args.result;
  }
}

function tableName(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (TableNode.is(node)) return node.table.identifier.name;
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  return undefined;
}

/** The table an insert, update or delete writes (undefined for reads and for quiet updates). */
function writtenTable(node: RootOperationNode): string | undefined {
  if (InsertQueryNode.is(node)) return tableName(node.into);
  if (DeleteQueryNode.is(node)) {
    const froms = node.from.froms;
    return froms.length === 1 ? tableName(froms[0]) : '*';
  }
  if (UpdateQueryNode.is(node)) {
    const table = tableName(node.table);
    const quiet = table ? QUIET_COLUMNS[table] : undefined;
    const column = (n: OperationNode) => (ColumnNode.is(n) ? n.column.name : undefined);
    if (quiet && node.updates?.every((u) => quiet.has(column(u.column) ?? ''))) return undefined;
    return table ?? '*';
  }
  return undefined;
}

/** The caches of the database `db` (any of its transactions too), or undefined when it has none. */
export function tableChangesOf(db: AnyDb): TableChanges | undefined {
  for (const p of db.getExecutor().plugins) if (p instanceof TableChangesPlugin) return p.changes;
  return undefined;
}

/**
 * The cache `name` of the database `db` watching `tables`, or undefined when the database has no
 * caches (then read from the database).
 */
export function tableCache<K, V>(db: AnyDb, name: string, tables: readonly string[]): TableCache<K, V> | undefined {
  return tableChangesOf(db)?.cache<K, V>(name, tables);
}
