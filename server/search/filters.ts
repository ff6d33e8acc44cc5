/**
 * Search criteria → conditions on `tickets as t`. References by name are resolved through the
 * catalogue's resolver (`catalog/resolve.ts`), so an unknown one is a 400 naming its path
 * (`/queues/1`). The caller's visibility (`access.ticketFilter`) is always the first condition,
 * and the full-text query runs against the document the caller may search: the stored one for
 * agents, one of the customer-visible articles only for customer users.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Access } from '../access/access';
import {
  resolveAgent,
  resolveCustomerUser,
  resolvePriority,
  resolveQueue,
  resolveState,
  resolveType,
  type Ref,
} from '../catalog/resolve';
import type { DB, TicketsTable } from '../db/schema';
import { BadRequest } from '../errors';
import { customerDocument } from './document';
import { dynamicFieldCondition } from './dynamic-field-filter';
import { fullTextCondition, likeSubstring } from './fulltext';
import type { QueryNode } from './query';
import type { IdOrName, TicketSearchCriteria } from './schema';

export type TicketEb = ExpressionBuilder<DB & { t: TicketsTable }, 't'>;
export type Condition = Expression<SqlBool> | ((eb: TicketEb) => Expression<SqlBool>);

/** `open` in a state-type filter: every state type a ticket is still worked in (OTRS "viewable"). */
export const OPEN_STATE_TYPES = ['new', 'open', 'pending reminder', 'pending auto'];

const refOf = (v: IdOrName): Ref => (typeof v === 'number' ? { id: v } : { name: v });

async function ids(values: IdOrName[] | undefined, path: string, resolve: (ref: Ref, path: string) => Promise<{ id: number }>): Promise<number[] | undefined> {
  if (!values?.length) return undefined;
  const out: number[] = [];
  for (const [i, v] of values.entries()) out.push((await resolve(refOf(v), `${path}/${i}`)).id);
  return out;
}

/** Agents by id or login; `me` is the calling agent. */
async function agentIds(db: Kysely<DB>, access: Access, values: IdOrName[] | undefined, path: string, single = false) {
  return ids(values, path, async (ref, p) => {
    const at = single ? path : p;
    if (ref.name === 'me') {
      const actor = access.requireActor();
      if (actor.kind !== 'agent') throw new BadRequest('"me" stands for an agent; customer users cannot use it here', at);
      return { id: actor.id };
    }
    return resolveAgent(db, ref, at);
  });
}

async function stateTypeStates(db: Kysely<DB>, names: string[] | undefined): Promise<number[] | undefined> {
  if (!names?.length) return undefined;
  const wanted = [...new Set(names.flatMap((n) => (n === 'open' ? OPEN_STATE_TYPES : [n])))];
  const types = await db.selectFrom('state_types').select(['id', 'name']).where('name', 'in', wanted).execute();
  const known = new Set(types.map((t) => t.name));
  names.forEach((n, i) => {
    if (n !== 'open' && !known.has(n)) throw new BadRequest(`unknown state type ${JSON.stringify(n)}`, `/stateTypes/${i}`, undefined, 'UNKNOWN_REFERENCE');
  });
  if (!types.length) return [];
  const states = await db.selectFrom('states').select('id').where('type_id', 'in', types.map((t) => t.id)).execute();
  return states.map((s) => s.id);
}

/** `YYYY-MM-DD` or a date-time; a bare date as the upper bound includes that whole day. */
function bound(value: string, upper: boolean): { at: string; op: '>=' | '<=' | '<' } {
  if (/^\d{4}-\d\d-\d\d$/.test(value)) {
    if (!upper) return { at: `${value}T00:00:00Z`, op: '>=' };
    const next = new Date(`${value}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return { at: next.toISOString(), op: '<' };
  }
  return { at: value, op: upper ? '<=' : '>=' };
}

function range(column: 't.created_at' | 't.changed_at' | 't.escalation_at' | 't.first_response_due' | 't.update_due' | 't.solution_due', from: string | undefined, to: string | undefined): Condition[] {
  const out: Condition[] = [];
  for (const [value, upper] of [[from, false], [to, true]] as const) {
    if (value === undefined) continue;
    const b = bound(value, upper);
    out.push((eb) => eb(column, b.op, new Date(b.at)));
  }
  return out;
}

/**
 * The full-text condition for the caller: customer users only search what they may read (their
 * few tickets' customer-visible articles, on the fly). For agents, `few` (when the caller knows
 * that few documents match) lists the matching tickets first through the GIN index, and the
 * tickets are then fetched by id; otherwise the planner chooses, which for many matches means
 * walking the list order and stopping after a page. The planner cannot tell these cases apart: it
 * underestimates what testing one document costs.
 */
export function fullTextFilter(node: QueryNode, forCustomer: boolean, few = false): Condition {
  const cond = fullTextCondition(node, { document: sql.ref('s.document'), content: sql.ref('s.content') });
  if (forCustomer) return sql<SqlBool>`exists (select 1 from ${customerDocument()} s where ${cond})`;
  if (few) return sql<SqlBool>`t.id = any(array(select s.ticket_id from ticket_search s where ${cond}))`;
  return sql<SqlBool>`t.id in (select s.ticket_id from ticket_search s where ${cond})`;
}

/**
 * Every condition the criteria ask for (without the full-text query, see `fullTextFilter`), the
 * caller's visibility first. `queryString` marks criteria read from a query string (messages then
 * name the parameter, `/df.Days.gt`, and values are coerced from text).
 */
export async function ticketConditions(db: Kysely<DB>, access: Access, c: TicketSearchCriteria, queryString = false): Promise<Condition[]> {
  const out: Condition[] = [await access.ticketFilter('t')];
  const inList = (column: keyof TicketsTable & string, values: Array<number | string> | undefined) => {
    if (values) out.push((eb) => eb(`t.${column}`, 'in', values));
  };
  inList('queue_id', await ids(c.queues, '/queues', (r, p) => resolveQueue(db, r, p)));
  inList('state_id', await ids(c.states, '/states', (r, p) => resolveState(db, r, p)));
  inList('state_id', await stateTypeStates(db, c.stateTypes));
  inList('priority_id', await ids(c.priorities, '/priorities', (r, p) => resolvePriority(db, r, p)));
  inList('type_id', await ids(c.types, '/types', (r, p) => resolveType(db, r, p)));
  inList('owner_id', await agentIds(db, access, c.owners, '/owners'));
  inList('responsible_id', await agentIds(db, access, c.responsibles, '/responsibles'));
  inList('customer_user_id', await ids(c.customerUsers, '/customerUsers', (r, p) => resolveCustomerUser(db, r, p)));
  if (c.customerIds?.length) inList('customer_id', c.customerIds);

  if (c.locked !== undefined) out.push((eb) => eb('t.locked', '=', c.locked!));
  const archived = c.archived ?? false;
  if (archived !== 'all') out.push((eb) => eb('t.archived', '=', archived));
  out.push(...range('t.created_at', c.createdFrom, c.createdTo), ...range('t.changed_at', c.changedFrom, c.changedTo), ...range('t.escalation_at', c.escalationFrom, c.escalationTo));
  out.push(...range('t.first_response_due', c.firstResponseDueFrom, c.firstResponseDueTo), ...range('t.update_due', c.updateDueFrom, c.updateDueTo), ...range('t.solution_due', c.solutionDueFrom, c.solutionDueTo));
  if (c.title !== undefined) out.push(sql<SqlBool>`t.title ilike ${likeSubstring(c.title)}`);
  if (c.tn !== undefined) {
    const tn = c.tn;
    if (tn.includes('*')) out.push(sql<SqlBool>`t.tn like ${tn.replace(/[\\%_]/g, (ch) => `\\${ch}`).replace(/\*/g, '%')}`);
    else out.push((eb) => eb('t.tn', '=', tn));
  }
  if (c.watchedBy !== undefined) {
    // Which tickets an agent watches is the agents' business.
    if (access.requireActor().kind !== 'agent') throw new BadRequest('only agents can filter by watchers', '/watchedBy');
    const [agent] = (await agentIds(db, access, [c.watchedBy], '/watchedBy', true))!;
    out.push(sql<SqlBool>`exists (select 1 from ticket_watchers w where w.ticket_id = t.id and w.agent_id = ${agent!})`);
  }
  for (const [i, f] of (c.dynamicFields ?? []).entries()) {
    out.push(await dynamicFieldCondition(db, access, f, f.path ?? `/dynamicFields/${i}`, queryString));
  }
  return out;
}
