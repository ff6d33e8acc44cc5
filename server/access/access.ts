/**
 * The one access-check helper (OTRS semantics). A group grants permissions on the queues it holds:
 * `ro` (read), `move_into`, `create`, `note`, `owner`, `priority`, and `rw` (which implies all of
 * them). Agents hold permissions on groups directly or through roles. Administrators are agents
 * with `rw` on the `admin` group. Customer users never hold queue permissions; what they may see is
 * decided by ownership (their own tickets), which the ticket domain asks of `customerMay`.
 *
 * A denied read is reported as `NotFound` (existence is not leaked), a denied write as `Forbidden`.
 */
import type { ExpressionBuilder, Expression, Kysely, SqlBool } from 'kysely';
import type { Actor } from '../auth/actor';
import type { DB, Permission } from '../db/schema';
import { readCustomerQueues, type CustomerQueues } from '../portal/customer-queues';
import { BadRequest, Forbidden, NotFound, Unauthenticated } from '../errors';
import { groupIdByName, queueGroupId } from '../catalog/resolve';
import { tableCache } from '../db/table-changes';

export const PERMISSIONS: readonly Permission[] = ['ro', 'move_into', 'create', 'note', 'owner', 'priority', 'rw'];

/** The group whose `rw` members are administrators. */
export const ADMIN_GROUP = 'admin';

/** The group whose members run (`ro`) and define (`rw`) statistics and reports. */
export const STATS_GROUP = 'stats';

/**
 * Every permission an agent holds, per group id, directly or through valid roles, on valid groups.
 *
 * @example
 * const perms = await groupPermissions(db, agentId); // Map { 1 => Set { 'ro', 'rw' } }
 */
export async function groupPermissions(db: Kysely<DB>, agentId: number): Promise<Map<number, Set<Permission>>> {
  const cache = tableCache<number, Map<number, Set<Permission>>>(db, 'access.permissions', PERMISSION_TABLES);
  const perms = cache ? await cache.get(db, agentId, () => loadGroupPermissions(db, agentId)) : await loadGroupPermissions(db, agentId);
  return new Map([...perms!].map(([g, set]) => [g, new Set(set)])); // a copy: callers may not change the cached one
}

/** The tables `groupPermissions` reads (a change to any of them drops its cache). */
const PERMISSION_TABLES = ['agents', 'agent_groups', 'agent_roles', 'role_groups', 'roles', 'groups'];

async function loadGroupPermissions(db: Kysely<DB>, agentId: number): Promise<Map<number, Set<Permission>>> {
  const rows = await db
    .selectFrom('agent_groups as ag')
    .innerJoin('groups as g', 'g.id', 'ag.group_id')
    .select(['ag.group_id', 'ag.permission'])
    .where('ag.agent_id', '=', agentId)
    .where('g.valid', '=', true)
    .union(
      db
        .selectFrom('agent_roles as ar')
        .innerJoin('roles as r', 'r.id', 'ar.role_id')
        .innerJoin('role_groups as rg', 'rg.role_id', 'ar.role_id')
        .innerJoin('groups as g', 'g.id', 'rg.group_id')
        .select(['rg.group_id', 'rg.permission'])
        .where('ar.agent_id', '=', agentId)
        .where('r.valid', '=', true)
        .where('g.valid', '=', true),
    )
    .execute();
  const map = new Map<number, Set<Permission>>();
  for (const r of rows) {
    let set = map.get(r.group_id);
    if (!set) map.set(r.group_id, (set = new Set()));
    set.add(r.permission);
  }
  return map;
}

/**
 * The valid agents among `agentIds` (all valid agents when omitted) that hold `permission` (or
 * `rw`) on the queue, directly or through valid roles, on a valid group — the same rule as
 * `Access.onQueue`, for many agents in one query (who may hear of a ticket in this queue).
 *
 * @example
 * const readers = await agentsWithQueuePermission(trx, queueId, 'ro', [3, 4, 9]); // [3, 9]
 */
export async function agentsWithQueuePermission(db: Kysely<DB>, queueId: number, permission: Permission, agentIds?: number[]): Promise<number[]> {
  if (agentIds && !agentIds.length) return [];
  const q = await db.selectFrom('queues').select('group_id').where('id', '=', queueId).executeTakeFirst();
  return q ? agentsWithGroupPermission(db, q.group_id, permission, agentIds) : [];
}

/**
 * The valid agents among `agentIds` (all valid agents when omitted) that hold `permission` (or
 * `rw`) on the group, directly or through valid roles, if the group is valid (who may read a
 * queue or a calendar of that group).
 *
 * @example
 * const readers = await agentsWithGroupPermission(trx, calendar.group_id, 'ro'); // [1, 3]
 */
export async function agentsWithGroupPermission(db: Kysely<DB>, groupId: number, permission: Permission, agentIds?: number[]): Promise<number[]> {
  if (agentIds && !agentIds.length) return [];
  const wanted: Permission[] = permission === 'rw' ? ['rw'] : [permission, 'rw'];
  let direct = db
    .selectFrom('agent_groups as ag')
    .innerJoin('groups as g', 'g.id', 'ag.group_id')
    .select('ag.agent_id')
    .where('g.id', '=', groupId)
    .where('g.valid', '=', true)
    .where('ag.permission', 'in', wanted);
  let viaRoles = db
    .selectFrom('agent_roles as ar')
    .innerJoin('roles as r', 'r.id', 'ar.role_id')
    .innerJoin('role_groups as rg', 'rg.role_id', 'ar.role_id')
    .innerJoin('groups as g', 'g.id', 'rg.group_id')
    .select('ar.agent_id')
    .where('g.id', '=', groupId)
    .where('r.valid', '=', true)
    .where('g.valid', '=', true)
    .where('rg.permission', 'in', wanted);
  if (agentIds) {
    direct = direct.where('ag.agent_id', 'in', agentIds);
    viaRoles = viaRoles.where('ar.agent_id', 'in', agentIds);
  }
  const rows = await db
    .selectFrom('agents as a')
    .select('a.id')
    .where('a.valid', '=', true)
    .where('a.id', 'in', direct.union(viaRoles))
    .orderBy('a.id')
    .execute();
  return rows.map((r) => r.id);
}

function grants(perms: Set<Permission> | undefined, wanted: Permission): boolean {
  return !!perms && (perms.has(wanted) || perms.has('rw'));
}

/** The ticket columns that decide who may see and change a ticket. */
export interface TicketAccessFields {
  queue_id: number;
  owner_id: number | null;
  responsible_id: number | null;
  customer_user_id: number | null;
  customer_id: string | null;
}

/** The dynamic field columns that decide who may see its values. */
export interface DynamicFieldAccessFields {
  name: string;
  internal: boolean;
  customer_visible: boolean;
}

/**
 * Access decisions for one caller, created per request. Permission data is loaded once, lazily.
 */
export class Access {
  private perms: Promise<Map<number, Set<Permission>>> | undefined;
  private adminGroupId: Promise<number | undefined> | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    readonly actor: Actor | undefined,
  ) {}

  /**
   * The same caller's decisions, querying through `db` instead — a transaction, so checks made
   * inside it see its rows and (on single-connection PGlite) do not wait for it. Permissions
   * already loaded are shared, not read again.
   *
   * @example
   * await db.transaction().execute(async (trx) => access.using(trx).assertTicket(row, 'rw'));
   */
  using(db: Kysely<DB>): Access {
    const other = new Access(db, this.actor);
    other.system = this.system;
    other.perms = this.perms;
    other.adminGroupId = this.adminGroupId;
    return other;
  }

  /** The caller, or 401 when there is none. */
  requireActor(): Actor {
    if (!this.actor) throw new Unauthenticated();
    return this.actor;
  }

  /** The calling agent, or 401/403 when the caller is not an agent. */
  requireAgent(): Extract<Actor, { kind: 'agent' }> {
    const actor = this.requireActor();
    if (actor.kind !== 'agent') throw new Forbidden('this needs an agent account', 'AGENT_REQUIRED');
    return actor;
  }

  /**
   * The access of the process engine acting on its own (transition actions, script results): every
   * permission on every group, in the name of `actor` (an agent row, e.g. the operator), so the
   * ticket domain's checks pass while history names the system.
   *
   * @example
   * const access = Access.system(trx, { kind: 'agent', id: admin.id, login: 'admin', via: 'token' });
   */
  static system(db: Kysely<DB>, actor: Extract<Actor, { kind: 'agent' }>): Access {
    const a = new Access(db, actor);
    a.system = true;
    return a;
  }

  private system = false;

  private permissions(): Promise<Map<number, Set<Permission>>> {
    const actor = this.actor;
    if (!actor || actor.kind !== 'agent') return Promise.resolve(new Map());
    if (this.system) {
      this.perms ??= this.db.selectFrom('groups').select('id').execute().then((gs) => new Map(gs.map((g) => [g.id, new Set(PERMISSIONS)])));
      return this.perms;
    }
    this.perms ??= groupPermissions(this.db, actor.id);
    return this.perms;
  }

  /** Whether the caller holds `permission` on the group. */
  async onGroup(groupId: number, permission: Permission): Promise<boolean> {
    return grants((await this.permissions()).get(groupId), permission);
  }

  /** Ids of the groups on which the caller holds `permission`. */
  async groupIds(permission: Permission): Promise<number[]> {
    const out: number[] = [];
    for (const [id, set] of await this.permissions()) if (grants(set, permission)) out.push(id);
    return out;
  }

  /** Ids of the queues on which the caller holds `permission` (for filtering lists). */
  async queueIds(permission: Permission): Promise<number[]> {
    const groups = await this.groupIds(permission);
    if (!groups.length) return [];
    const rows = await this.db.selectFrom('queues').select('id').where('group_id', 'in', groups).execute();
    return rows.map((r) => r.id);
  }

  /** Whether the caller holds `permission` on the queue. Unknown queues grant nothing. */
  async onQueue(queueId: number, permission: Permission): Promise<boolean> {
    if (this.actor?.kind !== 'agent') return false;
    const groupId = await queueGroupId(this.db, queueId);
    return groupId !== undefined && (await this.onGroup(groupId, permission));
  }

  /**
   * Throws unless the caller holds `permission` on the queue. For `ro` (a read) the error is a 404
   * on `what`, so the caller cannot learn that the object exists; for the others a 403.
   */
  async assertQueue(queueId: number, permission: Permission, what = 'queue'): Promise<void> {
    this.requireActor();
    if (await this.onQueue(queueId, permission)) return;
    if (permission === 'ro') throw new NotFound(what);
    throw new Forbidden(`you need the '${permission}' permission on this queue`, 'PERMISSION_DENIED');
  }

  // ---- calendars -----------------------------------------------------------------------------
  // A calendar belongs to a group, as a queue does: `ro` on it shows the calendar and its
  // appointments (and its iCal feed), `rw` lets the agent add, change and delete appointments.

  /**
   * Throws unless the caller holds `permission` on the calendar's group: a failed read is a 404
   * "calendar not found" (existence is not leaked), a failed write a 403.
   *
   * @example
   * await access.assertCalendar(calendar, 'rw'); // 403 PERMISSION_DENIED for a read-only member
   */
  async assertCalendar(cal: { group_id: number }, permission: 'ro' | 'rw'): Promise<void> {
    this.requireAgent();
    if (await this.onGroup(cal.group_id, permission)) return;
    if (permission === 'ro' || !(await this.onGroup(cal.group_id, 'ro'))) throw new NotFound('calendar');
    throw new Forbidden("you need the 'rw' permission on this calendar's group", 'PERMISSION_DENIED');
  }

  /** Ids of the groups whose calendars the caller may see (`ro`) or change (`rw`); filter every calendar list with it. */
  calendarGroupIds(permission: 'ro' | 'rw'): Promise<number[]> {
    return this.groupIds(permission);
  }

  /** Whether the caller is an administrator (`rw` on the `admin` group). */
  async isAdmin(): Promise<boolean> {
    if (this.actor?.kind !== 'agent') return false;
    this.adminGroupId ??= groupIdByName(this.db, ADMIN_GROUP);
    const id = await this.adminGroupId;
    return id !== undefined && (await this.onGroup(id, 'rw'));
  }

  /** Throws 401 without a caller and 403 unless the caller is an administrator. */
  async assertAdmin(): Promise<void> {
    this.requireAgent();
    if (!(await this.isAdmin())) throw new Forbidden('this needs administrator rights', 'ADMIN_REQUIRED');
  }

  // ---- statistics ------------------------------------------------------------------------------
  // The `stats` group: `ro` runs statistics and reports, `rw` defines them. Administrators hold both.
  // A statistic counts the tickets the running agent may read (`ticketFilter`), unless an
  // administrator marked it system-wide: then running it needs `rw` on `stats`.

  /** Whether the caller is an agent holding `permission` on the `stats` group (administrators always). */
  async onStats(permission: 'ro' | 'rw'): Promise<boolean> {
    if (this.actor?.kind !== 'agent') return false;
    if (await this.isAdmin()) return true;
    const g = await this.db.selectFrom('groups').select('id').where('name', '=', STATS_GROUP).executeTakeFirst();
    return !!g && (await this.onGroup(g.id, permission));
  }

  /** Throws 401/403 unless the caller may run (`ro`) or define (`rw`) statistics. */
  async assertStats(permission: 'ro' | 'rw'): Promise<void> {
    this.requireAgent();
    if (await this.onStats(permission)) return;
    throw new Forbidden(permission === 'rw' ? "defining statistics needs 'rw' on the stats group" : "running statistics needs 'ro' on the stats group", 'PERMISSION_DENIED');
  }

  /**
   * The ticket filter a statistic runs under: every ticket for a system-wide statistic (which needs
   * `rw` on `stats`), else the tickets the caller may read.
   *
   * @example
   * const where = await access.statTicketFilter(def.systemWide);
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async statTicketFilter(systemWide: boolean, alias = 't'): Promise<(eb: ExpressionBuilder<any, any>) => Expression<SqlBool>> {
    if (!systemWide) return this.ticketFilter(alias);
    if (!this.system && !(await this.onStats('rw'))) throw new Forbidden("this statistic is system-wide: running it needs 'rw' on the stats group", 'PERMISSION_DENIED');
    return (eb) => eb.val(true);
  }

  /**
   * Whether a customer user may see something that belongs to `customerUserLogin` of company
   * `customerId`: their own always, their company's when `companyWide` is allowed.
   */
  customerMay(owner: { customerUserId?: number | null; customerId?: string | null }, companyWide = false): boolean {
    const a = this.actor;
    if (a?.kind !== 'customer') return false;
    if (owner.customerUserId != null && owner.customerUserId === a.id) return true;
    return companyWide && owner.customerId != null && owner.customerId === a.customerId;
  }

  // ---- queues customers may open tickets in ----------------------------------------------------
  // Customer users hold no queue permissions; the portal settings name the queues offered to them
  // (OTRS CustomerPanelOwnSelection) and the default for tickets that name none.

  /** The queues offered to customer users and their default (`portal/customer-queues.ts`). */
  customerQueues(): Promise<CustomerQueues> {
    return readCustomerQueues(this.db);
  }

  /**
   * Throws a 403 at `path` naming the queue unless the caller is a customer user and the queue is
   * one offered to customers (an agent's queue rights are `assertQueue`'s business).
   *
   * @example
   * await access.assertCustomerQueue(queue, '/queue'); // 403 QUEUE_NOT_OFFERED: customer users cannot open tickets in the queue "Internal"
   */
  async assertCustomerQueue(queue: { id: number; name: string }, path: string): Promise<void> {
    if (this.requireActor().kind === 'customer' && (await this.customerQueues()).queues.some((q) => q.id === queue.id)) return;
    throw new Forbidden(`customer users cannot open tickets in the queue "${queue.name}"`, 'QUEUE_NOT_OFFERED', path);
  }

  // ---- dynamic fields ------------------------------------------------------------------------
  // Customer users see the values of customer-visible fields that are not internal, nothing else
  // (ticket view, TicketGet, portal). A filter or sort order on a field shows its values as well
  // as reading them does (`like secretB1Q*` finds the ticket, `secretB1Z*` does not), so they may
  // filter and sort by exactly the fields they may see.

  /** Whether the caller may see (and so filter and sort by) the values of this field. */
  mayReadDynamicField(field: DynamicFieldAccessFields): boolean {
    if (this.actor?.kind !== 'customer') return !!this.actor;
    return field.customer_visible && !field.internal;
  }

  /**
   * Throws a 400 at `path` unless the caller may filter or sort by the field. A customer user is
   * told what a field that does not exist would tell (`unknown dynamic field "Name"`, as the
   * caller wrote the name), so neither its values nor its existence leak.
   *
   * @example
   * access.assertDynamicFieldSearchable(field, '/dynamicFields/0/name', filter.name);
   */
  assertDynamicFieldSearchable(field: DynamicFieldAccessFields, path: string, givenName: string = field.name): void {
    if (this.mayReadDynamicField(field)) return;
    throw new BadRequest(`unknown dynamic field ${JSON.stringify(givenName)}`, path, undefined, 'UNKNOWN_REFERENCE');
  }

  // ---- tickets -------------------------------------------------------------------------------
  // Agents: the queue's group permissions; the ticket's owner and responsible hold every
  // permission on it (OTRS OwnerCheck / ResponsibleCheck). Customer users: their own tickets, and
  // their company's when `companyTickets` is allowed; they never hold queue permissions.

  /** Whether the caller holds `permission` on this ticket (for customers: whether they may see it). */
  async onTicket(t: TicketAccessFields, permission: Permission): Promise<boolean> {
    const a = this.actor;
    if (!a) return false;
    if (a.kind === 'customer') return this.customerMay({ customerUserId: t.customer_user_id, customerId: t.customer_id }, a.companyTickets);
    if (t.owner_id === a.id || t.responsible_id === a.id) return true;
    return this.onQueue(t.queue_id, permission);
  }

  /**
   * Throws unless the caller holds `permission` on the ticket: a failed read (or any check on a
   * ticket the caller cannot even read) is a 404 "ticket not found", a failed write a 403.
   */
  async assertTicket(t: TicketAccessFields, permission: Permission): Promise<void> {
    this.requireActor();
    if (permission !== 'ro' && (await this.onTicket(t, permission))) return;
    if (!(await this.onTicket(t, 'ro'))) throw new NotFound('ticket');
    if (permission === 'ro') return;
    throw new Forbidden(`you need the '${permission}' permission on this ticket's queue`, 'PERMISSION_DENIED');
  }

  /**
   * Throws unless the caller may read the ticket of a process incident in the operations view:
   * administrators read every such ticket (read-only: this grants no write permission), anyone
   * else needs `ro` as for any ticket (404 "ticket not found" otherwise).
   */
  async assertIncidentTicket(t: TicketAccessFields): Promise<void> {
    this.requireActor();
    if (await this.isAdmin()) return;
    await this.assertTicket(t, 'ro');
  }

  /**
   * A where-clause for `selectFrom('tickets')` (aliased `t` by default) that keeps only the tickets
   * the caller may read. Use it for every list, count and search.
   *
   * @example
   * const where = await access.ticketFilter();
   * db.selectFrom('tickets as t').where(where).selectAll().execute();
   */
  // The alias is chosen by the caller, so the builder cannot be typed to one table shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async ticketFilter(alias = 't'): Promise<(eb: ExpressionBuilder<any, any>) => Expression<SqlBool>> {
    const a = this.actor;
    const col = (c: string) => `${alias}.${c}`;
    if (!a) return (eb) => eb.val(false);
    if (a.kind === 'customer') {
      return (eb) =>
        a.companyTickets
          ? eb.or([eb(col('customer_user_id'), '=', a.id), eb(col('customer_id'), '=', a.customerId)])
          : eb(col('customer_user_id'), '=', a.id);
    }
    const groups = await this.groupIds('ro');
    return (eb) => {
      const ors: Expression<SqlBool>[] = [eb(col('owner_id'), '=', a.id), eb(col('responsible_id'), '=', a.id)];
      if (groups.length) {
        ors.push(eb(col('queue_id'), 'in', eb.selectFrom('queues').select('queues.id').where('queues.group_id', 'in', groups)));
      }
      return eb.or(ors);
    };
  }
}
