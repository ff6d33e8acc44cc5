/**
 * The reference resolver: turns the ids or names a client (or an imported process) gives for
 * catalogue entries into rows, and reports unknown ones as a 400 naming the JSON path and the value.
 * Used by the catalogue's own endpoints, the ticket domain (`queueId` or `queue`, ...) and the process
 * importer, which asks `findMissing` for every missing name at once.
 *
 * Names match exactly (case-sensitive), as the unique indexes do. Invalid (retired) entries resolve
 * like valid ones unless `{ requireValid: true }` is passed: existing tickets keep pointing at them,
 * but new assignments usually should not.
 *
 * @example
 * const queue = await resolveQueue(trx, { id: body.queueId, name: body.queue }, { id: '/queueId', name: '/queue' }, { requireValid: true });
 * const missing = await findMissing(db, { queue: ['Sales::Europe'], dynamicField: ['DynamicField_Approved'] });
 * // → { queue: ['Sales::Europe'] } when that queue does not exist (kinds with nothing missing are left out)
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  AgentsTable,
  CustomerCompaniesTable,
  CustomerUsersTable,
  DB,
  DynamicFieldsTable,
  GroupsTable,
  PrioritiesTable,
  QueuesTable,
  RolesTable,
  ServicesTable,
  SlasTable,
  StatesTable,
  TicketTypesTable,
} from '../db/schema';
import { BadRequest } from '../errors';
import { tableCache } from '../db/table-changes';

/** A database or a transaction (a `Transaction<DB>` is a `Kysely<DB>`). */
export type Db = Kysely<DB>;

/** A reference by id or by name (for agents and customer users the name is the login). */
export interface Ref {
  id?: number | null;
  name?: string | null;
}

/** Where the reference sits in the request: one path, or one for the id form and one for the name form. */
export type RefPath = string | { id: string; name: string };

export interface ResolveOptions {
  /** Refuse entries with `valid = false` (400 "... is invalid"). Default false. */
  requireValid?: boolean;
}

export type QueueRow = Selectable<QueuesTable>;
export type StateRow = Selectable<StatesTable> & { type_name: string };
export type PriorityRow = Selectable<PrioritiesTable>;
export type TicketTypeRow = Selectable<TicketTypesTable>;
export type ServiceRow = Selectable<ServicesTable>;
export type SlaRow = Selectable<SlasTable>;
export type GroupRow = Selectable<GroupsTable>;
export type RoleRow = Selectable<RolesTable>;
/** An agent without its password hash. */
export type AgentRow = Omit<Selectable<AgentsTable>, 'password_hash'>;
/** A customer user without its password hash. */
export type CustomerUserRow = Omit<Selectable<CustomerUsersTable>, 'password_hash'>;
export type CustomerCompanyRow = Selectable<CustomerCompaniesTable>;
export type DynamicFieldRow = Selectable<DynamicFieldsTable>;

/** The kinds `findMissing` knows. */
export type RefKind =
  | 'queue'
  | 'state'
  | 'priority'
  | 'type'
  | 'service'
  | 'sla'
  | 'group'
  | 'role'
  | 'agent'
  | 'customerUser'
  | 'customerCompany'
  | 'dynamicField';

/** How each kind is stored: its table, the column names are matched on, and its name in messages. */
const KINDS: Record<RefKind, { table: keyof DB; key: string; label: string }> = {
  queue: { table: 'queues', key: 'name', label: 'queue' },
  state: { table: 'states', key: 'name', label: 'state' },
  priority: { table: 'priorities', key: 'name', label: 'priority' },
  type: { table: 'ticket_types', key: 'name', label: 'ticket type' },
  service: { table: 'services', key: 'name', label: 'service' },
  sla: { table: 'slas', key: 'name', label: 'SLA' },
  group: { table: 'groups', key: 'name', label: 'group' },
  role: { table: 'roles', key: 'name', label: 'role' },
  agent: { table: 'agents', key: 'login', label: 'agent' },
  customerUser: { table: 'customer_users', key: 'login', label: 'customer user' },
  customerCompany: { table: 'customer_companies', key: 'customer_id', label: 'customer' },
  dynamicField: { table: 'dynamic_fields', key: 'name', label: 'dynamic field' },
};

/** Catalogue kinds whose rows are kept in memory by id and by name, with the tables they are read from. */
const CACHED: Partial<Record<RefKind, string[]>> = {
  queue: ['queues'],
  state: ['states', 'state_types'],
  priority: ['priorities'],
  type: ['ticket_types'],
  service: ['services'],
  sla: ['slas'],
  group: ['groups'],
};

const AGENT_COLUMNS = ['id', 'login', 'first_name', 'last_name', 'email', 'valid', 'created_at', 'changed_at'] as const;
const CUSTOMER_USER_COLUMNS = [
  'id', 'login', 'first_name', 'last_name', 'email', 'phone', 'customer_id', 'valid', 'login_forbidden',
  'can_see_company_tickets', 'created_at', 'changed_at',
] as const;

/** `DynamicField_Approved` (the name processes and OTOBO use) → `Approved`. */
export function dynamicFieldName(name: string): string {
  return name.startsWith('DynamicField_') ? name.slice('DynamicField_'.length) : name;
}

function pathFor(path: RefPath, form: 'id' | 'name'): string {
  return typeof path === 'string' ? path : path[form];
}

// The lookups below are one query shape over twelve tables; Kysely cannot type a query whose table
// is a union, so they run on an untyped view of the same connection and are typed at the exits.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const untyped = (db: Db) => db as unknown as Kysely<any>;

async function lookup<T extends { valid: boolean }>(
  db: Db,
  kind: RefKind,
  ref: Ref,
  path: RefPath,
  opts: ResolveOptions | undefined,
  columns: readonly string[] | undefined,
): Promise<T> {
  const { table, key, label } = KINDS[kind];
  const hasId = ref.id !== undefined && ref.id !== null;
  const name = ref.name ?? undefined;
  if (!hasId && name === undefined) {
    throw new BadRequest(`give the ${label} by id or by name`, pathFor(path, 'name'), undefined, 'MISSING_REFERENCE');
  }
  const form = hasId ? 'id' : 'name';
  const shown = hasId ? `id ${ref.id}` : JSON.stringify(name);
  const unknown = () => new BadRequest(`unknown ${label} ${shown}`, pathFor(path, form), undefined, 'UNKNOWN_REFERENCE');
  // An id outside the integer column's range cannot exist (and must not become a database error).
  if (hasId && kind !== 'customerCompany' && !(Number.isInteger(ref.id) && ref.id! >= 1 && ref.id! <= 2_147_483_647)) throw unknown();
  let q = untyped(db).selectFrom(table);
  q = columns ? q.select(columns.map((c) => `${table}.${c}`)) : q.selectAll(table);
  if (kind === 'state') q = q.innerJoin('state_types', 'state_types.id', 'states.type_id').select('state_types.name as type_name');
  const nameKey = name === undefined ? undefined : kind === 'dynamicField' ? dynamicFieldName(name) : name;
  const where = hasId ? (kind === 'customerCompany' ? 'customer_id' : 'id') : key;
  const value = hasId ? ref.id : nameKey;
  const run = () => q.where(`${table}.${where}`, '=', value).executeTakeFirst() as Promise<T | undefined>;
  const tables = CACHED[kind];
  const cache = tables && !columns ? tableCache<string, T>(db, `catalog.${kind}`, tables) : undefined;
  const found = cache ? await cache.get(db, `${where}:${String(value)}`, run) : await run();
  if (!found) throw unknown();
  const row = { ...found }; // a copy: the cached row stays as read
  if (hasId && nameKey !== undefined && (row as Record<string, unknown>)[key] !== nameKey) {
    throw new BadRequest(`${label} id ${ref.id} is not ${JSON.stringify(name)}`, pathFor(path, 'name'), undefined, 'REFERENCE_MISMATCH');
  }
  if (opts?.requireValid && !row.valid) {
    throw new BadRequest(`${label} ${shown} is invalid (retired)`, pathFor(path, form), undefined, 'INVALID_REFERENCE');
  }
  return row;
}

/** A queue by id or full name (`Sales::Europe`). */
export function resolveQueue(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<QueueRow> {
  return lookup<QueueRow>(db, 'queue', ref, path, opts, undefined);
}

/** The group a queue belongs to, or undefined when there is no such queue (cached, as `resolveQueue`). */
export async function queueGroupId(db: Db, queueId: number): Promise<number | undefined> {
  return (await orUndefined(resolveQueue(db, { id: queueId }, '/queueId')))?.group_id;
}

/** A group's id by its name, or undefined when there is none (cached, as `resolveGroup`). */
export async function groupIdByName(db: Db, name: string): Promise<number | undefined> {
  return (await orUndefined(resolveGroup(db, { name }, '/group')))?.id;
}

/** The row, or undefined where the resolver reports an unknown reference. */
async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof BadRequest && e.code === 'UNKNOWN_REFERENCE') return undefined;
    throw e;
  }
}

/** A state by id or name, with its state type's name (`type_name`: new, open, closed, pending reminder, ...). */
export function resolveState(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<StateRow> {
  return lookup<StateRow>(db, 'state', ref, path, opts, undefined);
}

export function resolvePriority(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<PriorityRow> {
  return lookup<PriorityRow>(db, 'priority', ref, path, opts, undefined);
}

/** A ticket type by id or name. */
export function resolveType(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<TicketTypeRow> {
  return lookup<TicketTypeRow>(db, 'type', ref, path, opts, undefined);
}

/** A service by id or full name (`IT::Email`). */
export function resolveService(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<ServiceRow> {
  return lookup<ServiceRow>(db, 'service', ref, path, opts, undefined);
}

export function resolveSla(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<SlaRow> {
  return lookup<SlaRow>(db, 'sla', ref, path, opts, undefined);
}

export function resolveGroup(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<GroupRow> {
  return lookup<GroupRow>(db, 'group', ref, path, opts, undefined);
}

export function resolveRole(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<RoleRow> {
  return lookup<RoleRow>(db, 'role', ref, path, opts, undefined);
}

/** An agent by id or login (`ref.name` is the login). Never carries the password hash. */
export function resolveAgent(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<AgentRow> {
  return lookup<AgentRow>(db, 'agent', ref, path, opts, AGENT_COLUMNS);
}

/** A customer user by id or login (`ref.name` is the login). Never carries the password hash. */
export function resolveCustomerUser(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<CustomerUserRow> {
  return lookup<CustomerUserRow>(db, 'customerUser', ref, path, opts, CUSTOMER_USER_COLUMNS);
}

/** A customer company by its customer id (`ACME`), the key customer users and tickets refer to. */
export function resolveCustomerCompany(db: Db, customerId: string, path: string, opts?: ResolveOptions): Promise<CustomerCompanyRow> {
  return lookup<CustomerCompanyRow>(db, 'customerCompany', { name: customerId }, path, opts, undefined);
}

/** A dynamic field by id or name; `DynamicField_X` is accepted for `X`. */
export function resolveDynamicField(db: Db, ref: Ref, path: RefPath, opts?: ResolveOptions): Promise<DynamicFieldRow> {
  return lookup<DynamicFieldRow>(db, 'dynamicField', ref, path, opts, undefined);
}

/** Names to check, per kind (agents and customer users by login, companies by customer id). */
export type RefNames = Partial<Record<RefKind, Iterable<string>>>;
/** Missing names per kind, each list without duplicates in first-seen order; kinds with none are left out. */
export type MissingRefs = Partial<Record<RefKind, string[]>>;

/**
 * Every name that does not exist, per kind, in one query per kind (retired entries count as
 * existing). An empty object means nothing is missing.
 */
export async function findMissing(db: Db, refs: RefNames): Promise<MissingRefs> {
  const out: MissingRefs = {};
  for (const [kind, names] of Object.entries(refs) as Array<[RefKind, Iterable<string> | undefined]>) {
    if (!names) continue;
    const spec = KINDS[kind];
    if (!spec) throw new TypeError(`findMissing: unknown kind ${kind}`);
    const wanted = [...new Set(names)];
    if (!wanted.length) continue;
    const keyOf = (n: string) => (kind === 'dynamicField' ? dynamicFieldName(n) : n);
    const rows = (await untyped(db)
      .selectFrom(spec.table)
      .select(`${spec.key} as key`)
      .where(spec.key, 'in', [...new Set(wanted.map(keyOf))])
      .execute()) as Array<{ key: string }>;
    const found = new Set(rows.map((r) => r.key));
    const missing = wanted.filter((n) => !found.has(keyOf(n)));
    if (missing.length) out[kind] = missing;
  }
  return out;
}
