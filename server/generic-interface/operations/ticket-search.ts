/**
 * TicketSearch: OTOBO's search parameters → the search domain's criteria (`SearchService`, which
 * only ever returns tickets the caller may read). `Title` (with `%`/`*` wildcards; contains, case
 * insensitive, as OTOBO's inline condition), `TicketNumber`, `Queues`/`QueueIDs`,
 * `States`/`StateIDs`, `StateType`/`StateTypeIDs`, `Priorities`/`PriorityIDs`, `Types`/`TypeIDs`,
 * `OwnerIDs`, `ResponsibleIDs`, `CustomerID`, `CustomerUserLogin`, `Locks`/`LockIDs`,
 * `WatchUserIDs`, `Fulltext`, `DynamicField_<Name>` with `Equals`, `Like`, `GreaterThan`,
 * `GreaterThanEquals`, `SmallerThan`, `SmallerThanEquals`, create/change time ranges (`...NewerDate`,
 * `...OlderDate`, `...NewerMinutes`, `...OlderMinutes`), the same for the SLA deadlines
 * (`TicketEscalationTime…`, `TicketEscalation{Response,Update,Solution}Time…`; negative minutes lie
 * ahead), `ArchiveFlags`/`SearchInArchive`,
 * `Limit` (default 500), `SortBy`, `OrderBy` (`Down` default, `Up`). Answers
 * `{"TicketID": ["3", "2"]}`, or `{}` when nothing matches. GET with a query or POST with a body.
 */
import type { Kysely } from 'kysely';
import type { Access } from '../../access/access';
import type { DB } from '../../db/schema';
import type { DynamicFieldFilter, IdOrName, SortField, TicketSearchCriteria, TicketSummary } from '../../search/schema';
import { SearchService } from '../../search/service';
import { opError } from '../envelope';
import { authenticate, type OperationContext, type OperationHandler } from '../operation';
import { idOf, isObject, list, parseOtoboTime, str, text, type Data } from '../params';
import { valueFromOtobo } from './dynamic-fields';
import { toOperationError } from './errors';

const OP = 'TicketSearch';
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 10_000;
const PAGE = 200;

const SORTS: Record<string, SortField> = {
  Age: 'created',
  Created: 'created',
  Changed: 'changed',
  Ticket: 'tn',
  TicketNumber: 'tn',
  TicketID: 'id',
  Title: 'title',
  Queue: 'queue',
  State: 'state',
  Priority: 'priority',
  Owner: 'owner',
  PendingTime: 'pendingUntil',
  EscalationTime: 'escalation',
};

/** OTOBO's escalation search parameters (`<prefix>OlderMinutes`, `…NewerMinutes`, `…OlderDate`, `…NewerDate`) → criteria. */
const ESCALATION_BOUNDS = [
  ['TicketEscalationTime', 'escalationFrom', 'escalationTo'],
  ['TicketEscalationResponseTime', 'firstResponseDueFrom', 'firstResponseDueTo'],
  ['TicketEscalationUpdateTime', 'updateDueFrom', 'updateDueTo'],
  ['TicketEscalationSolutionTime', 'solutionDueFrom', 'solutionDueTo'],
] as const;

const DF_OPERATORS: Record<string, DynamicFieldFilter['op']> = {
  Equals: 'eq',
  Like: 'like',
  GreaterThan: 'gt',
  GreaterThanEquals: 'gte',
  SmallerThan: 'lt',
  SmallerThanEquals: 'lte',
};

const invalid = (name: string, why?: string) => opError(OP, 'InvalidParameter', `${name} parameter is invalid!${why ? ` (${why})` : ''}`);

/** Names and ids of one kind (`Queues` + `QueueIDs`) as one list; a malformed id is refused. */
function refs(data: Data, names: string, ids: string): IdOrName[] | undefined {
  const out: IdOrName[] = list(data[names]).map((v) => String(v).trim());
  for (const v of list(data[ids], true)) {
    const id = idOf(v);
    if (id === undefined || Number.isNaN(id)) throw invalid(ids);
    out.push(id);
  }
  return out.length ? out : undefined;
}

/**
 * A `...NewerDate`/`...OlderDate`/`...NewerMinutes`/`...OlderMinutes` bound, as an ISO time.
 * Escalation times may lie ahead: there, as in OTOBO, negative minutes count into the future
 * (`TicketEscalationTimeOlderMinutes: -60` = escalating within the next hour, or already escalated).
 */
function timeBound(data: Data, prefixes: string[], which: 'Newer' | 'Older', now: Date, future = false): string | undefined {
  let out: string | undefined;
  for (const prefix of prefixes) {
    const dateKey = `${prefix}${which}Date`;
    if (text(data[dateKey]) !== undefined) {
      out = parseOtoboTime(data[dateKey]);
      if (!out) throw invalid(dateKey, 'expected YYYY-MM-DD HH:MM:SS');
      // OTOBO's times have whole seconds: "older than 10:00:00" includes 10:00:00.999.
      if (which === 'Older') out = new Date(Date.parse(out) + 999).toISOString();
    }
    const minKey = `${prefix}${which}Minutes`;
    if (text(data[minKey]) !== undefined) {
      const m = str(data[minKey])!;
      if (!(future ? /^-?\d{1,9}$/ : /^\d{1,9}$/).test(m)) throw invalid(minKey, future ? 'expected whole minutes, negative for the future' : 'expected whole minutes');
      out = new Date(now.getTime() - Number(m) * 60_000).toISOString();
    }
  }
  return out;
}

async function stateTypes(db: Kysely<DB>, data: Data): Promise<string[] | undefined> {
  // OTOBO's `Open` and `Closed` are the search domain's `open` (new, open, pending) and `closed`.
  const out = list(data.StateType).map((v) => String(v).trim().toLowerCase());
  const ids = list(data.StateTypeIDs, true).map((v) => idOf(v));
  if (ids.some((id) => id === undefined || Number.isNaN(id))) throw invalid('StateTypeIDs');
  if (ids.length) {
    const rows = await db.selectFrom('state_types').select(['id', 'name']).where('id', 'in', ids as number[]).execute();
    if (rows.length !== new Set(ids).size) throw invalid('StateTypeIDs', 'unknown state type id');
    out.push(...rows.map((r) => r.name));
  }
  return out.length ? out : undefined;
}

/** `DynamicField_<Name>: {Equals: ...}` (or `DynamicField: {Name, ...}` / a list of those) → filters. */
async function dynamicFieldFilters(db: Kysely<DB>, access: Access, data: Data): Promise<DynamicFieldFilter[]> {
  const raw: Array<{ name: string; ops: Data; param: string }> = [];
  const nested = data.DynamicField;
  if (nested !== undefined) {
    for (const item of Array.isArray(nested) ? nested : [nested]) {
      if (!isObject(item) || !text(item.Name)) throw invalid('DynamicField');
      const { Name, ...ops } = item;
      raw.push({ name: text(Name)!, ops, param: 'DynamicField' });
    }
  }
  for (const [key, value] of Object.entries(data)) {
    // `DynamicField_<Name>: {Operator: value}`, or (for query strings) `DynamicField_<Name>.<Operator>=value`.
    const m = /^DynamicField_([^.]+)(?:\.(\w+))?$/.exec(key);
    if (!m) continue;
    if (m[2]) {
      raw.push({ name: m[1]!, ops: { [m[2]]: value }, param: key });
      continue;
    }
    if (!isObject(value)) throw invalid(key, 'expected an object of operators, e.g. {"Equals": "value"}');
    raw.push({ name: m[1]!, ops: value, param: key });
  }
  if (!raw.length) return [];
  const defs = new Map(
    (await db.selectFrom('dynamic_fields').select(['name', 'field_type', 'object_type', 'valid', 'internal', 'customer_visible']).where('name', 'in', raw.map((r) => r.name)).execute()).map((d) => [d.name, d]),
  );
  const out: DynamicFieldFilter[] = [];
  for (const r of raw) {
    const def = defs.get(r.name);
    // A field the caller may not see is answered as one that does not exist.
    if (!def || !def.valid || def.object_type !== 'ticket' || !access.mayReadDynamicField(def)) throw invalid(r.param, `no valid ticket dynamic field "${r.name}"`);
    const entries = Object.entries(r.ops);
    if (!entries.length) throw invalid(r.param, 'no operator given');
    for (const [opName, value] of entries) {
      const op = DF_OPERATORS[opName];
      if (!op) throw invalid(r.param, `unknown operator "${opName}"; use ${Object.keys(DF_OPERATORS).join(', ')}`);
      const path = `/${r.param}/${opName}`;
      if (op === 'eq' && Array.isArray(value)) {
        const values = value.map((v) => valueFromOtobo(def.field_type, v));
        out.push(def.field_type === 'multiselect' || values.length > 1 ? { name: r.name, op: 'in', value: values.flat(), path } : { name: r.name, op, value: values[0], path });
      } else if (op === 'like') {
        out.push({ name: r.name, op, value: String(value).replace(/%/g, '*'), path });
      } else {
        const v = valueFromOtobo(def.field_type, value);
        out.push({ name: r.name, op, value: Array.isArray(v) && v.length === 1 ? v[0] : v, path });
      }
    }
  }
  return out;
}

/** The full-text part: `Fulltext`, and the article fields OTOBO searches (all must match). */
function fullText(data: Data): string | undefined {
  const parts: string[] = [];
  for (const key of ['Fulltext', 'FullText', 'Subject', 'Body', 'From', 'To', 'Cc']) {
    for (const v of list(data[key])) {
      const words = String(v).replace(/["()]/g, ' ').replace(/%/g, '*').trim();
      if (words) parts.push(/\s/.test(words) ? `"${words}"` : words);
    }
  }
  return parts.length ? parts.join(' AND ') : undefined;
}

/** OTOBO's title condition: wildcards `%`/`*`, contains, case-insensitive. */
function titleMatcher(pattern: string): { literal: string | undefined; test: (title: string) => boolean } | undefined {
  const p = pattern.replace(/\*/g, '%');
  if (/^%*$/.test(p)) return undefined;
  const literal = p.split('%').reduce((a, b) => (b.length > a.length ? b : a), '');
  const re = new RegExp(p.split('%').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'), 'i');
  return { literal: literal || undefined, test: (t) => re.test(t) };
}

async function criteriaOf(ctx: OperationContext, access: Access, data: Data): Promise<TicketSearchCriteria> {
  const db = ctx.services.database.db;
  const now = ctx.services.now();
  const c: TicketSearchCriteria = {};
  const set = <K extends keyof TicketSearchCriteria>(k: K, v: TicketSearchCriteria[K] | undefined) => {
    if (v !== undefined) c[k] = v;
  };
  set('queues', refs(data, 'Queues', 'QueueIDs'));
  set('states', refs(data, 'States', 'StateIDs'));
  set('stateTypes', await stateTypes(db, data));
  set('priorities', refs(data, 'Priorities', 'PriorityIDs'));
  set('types', refs(data, 'Types', 'TypeIDs'));
  set('owners', refs(data, 'Owners', 'OwnerIDs'));
  set('responsibles', refs(data, 'Responsibles', 'ResponsibleIDs'));
  const customerIds = list(data.CustomerID).concat(list(data.CustomerIDRaw)).map((v) => String(v).trim());
  if (customerIds.length) c.customerIds = customerIds;
  const customerUsers = list(data.CustomerUserLogin).concat(list(data.CustomerUserLoginRaw)).map((v) => String(v).trim());
  if (customerUsers.length) c.customerUsers = customerUsers;

  const locks = list(data.Locks).map((v) => String(v).toLowerCase());
  for (const v of list(data.LockIDs, true)) locks.push(({ '1': 'unlock', '2': 'lock', '3': 'lock' } as Record<string, string>)[String(v).trim()] ?? String(v));
  if (locks.some((l) => !['lock', 'unlock', 'tmp_lock'].includes(l))) throw invalid('Locks or LockIDs');
  const locked = new Set(locks.map((l) => l !== 'unlock'));
  if (locked.size === 1) c.locked = [...locked][0];

  const watcher = list(data.WatchUserIDs, true)[0];
  if (watcher !== undefined) {
    const id = idOf(watcher);
    if (id === undefined || Number.isNaN(id)) throw invalid('WatchUserIDs');
    c.watchedBy = id;
  }
  set('createdFrom', timeBound(data, ['TicketCreateTime'], 'Newer', now));
  set('createdTo', timeBound(data, ['TicketCreateTime'], 'Older', now));
  set('changedFrom', timeBound(data, ['TicketChangeTime', 'TicketLastChangeTime'], 'Newer', now));
  set('changedTo', timeBound(data, ['TicketChangeTime', 'TicketLastChangeTime'], 'Older', now));
  for (const [prefix, from, to] of ESCALATION_BOUNDS) {
    set(from, timeBound(data, [prefix], 'Newer', now, true));
    set(to, timeBound(data, [prefix], 'Older', now, true));
  }

  const archive = list(data.ArchiveFlags).map((v) => String(v).toLowerCase());
  const inArchive = text(data.SearchInArchive);
  if (inArchive === 'AllTickets' || (archive.includes('y') && archive.includes('n'))) c.archived = 'all';
  else if (inArchive === 'ArchivedTickets' || (archive.length === 1 && archive[0] === 'y')) c.archived = true;

  set('query', fullText(data));
  const dynamicFields = await dynamicFieldFilters(db, access, data);
  if (dynamicFields.length) c.dynamicFields = dynamicFields;

  const sortBy = text(list(data.SortBy)[0]) ?? 'Age';
  const sort = SORTS[sortBy];
  if (!sort) throw invalid('SortBy', `use one of ${Object.keys(SORTS).join(', ')}`);
  const orderBy = text(list(data.OrderBy)[0]) ?? 'Down';
  if (orderBy !== 'Up' && orderBy !== 'Down') throw invalid('OrderBy', 'use Up or Down');
  c.sort = sort;
  c.order = orderBy === 'Up' ? 'asc' : 'desc';
  return c;
}

/** Compares two summaries in the search's order (for merging the results of several title/number alternatives). */
function comparator(sort: SortField, order: 'asc' | 'desc') {
  const key = (t: TicketSummary): string | number => {
    switch (sort) {
      case 'id': return t.id;
      case 'tn': return t.tn;
      case 'title': return t.title;
      case 'created': return t.created;
      case 'changed': return t.changed;
      case 'priority': return t.priority.name;
      case 'state': return t.state.name;
      case 'queue': return t.queue.name;
      case 'owner': return t.owner?.login ?? '\uffff';
      case 'pendingUntil': return t.pendingUntil ?? '\uffff';
      case 'escalation': return t.escalationAt ?? '\uffff';
    }
  };
  const dir = order === 'asc' ? 1 : -1;
  return (a: TicketSummary, b: TicketSummary) => {
    const x = key(a);
    const y = key(b);
    if (x < y) return -dir;
    if (x > y) return dir;
    return (a.id - b.id) * dir;
  };
}

async function search(ctx: OperationContext, access: Access, data: Data): Promise<Data> {
  const base = await criteriaOf(ctx, access, data);
  const limitRaw = str(data.Limit);
  const limit = limitRaw ? Number(limitRaw) : DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw invalid('Limit');
  const max = Math.min(limit, MAX_LIMIT);
  const onlyIds = list(data.TicketID, true).map((v) => idOf(v));
  if (onlyIds.some((id) => id === undefined || Number.isNaN(id))) throw invalid('TicketID');
  const idFilter = onlyIds.length ? new Set(onlyIds as number[]) : undefined;

  const titles = list(data.Title).map((v) => titleMatcher(String(v)));
  const titleAlternatives = titles.some((t) => t === undefined) || !titles.length ? [undefined] : titles;
  const numbers = list(data.TicketNumber).map((v) => String(v).trim().replace(/%/g, '*'));
  const numberAlternatives = numbers.some((n) => /^\**$/.test(n)) || !numbers.length ? [undefined] : numbers;

  const service = new SearchService(ctx.services.database.db);
  const found = new Map<number, TicketSummary>();
  for (const title of titleAlternatives) {
    for (const tn of numberAlternatives) {
      const criteria: TicketSearchCriteria = { ...base, perPage: PAGE };
      if (title?.literal) criteria.title = title.literal;
      if (tn) criteria.tn = tn;
      let kept = 0;
      for (let page = 1; kept < max; page++) {
        const res = await service.search(access, { ...criteria, page });
        for (const t of res.items) {
          if (title && !title.test(t.title)) continue;
          if (idFilter && !idFilter.has(t.id)) continue;
          kept++;
          found.set(t.id, t);
        }
        if (page * PAGE >= res.total || !res.items.length) break;
      }
    }
  }
  let tickets = [...found.values()];
  if (titleAlternatives.length * numberAlternatives.length > 1) tickets.sort(comparator(base.sort!, base.order!));
  tickets = tickets.slice(0, max);
  return tickets.length ? { TicketID: tickets.map((t) => String(t.id)) } : {};
}

export const ticketSearch: OperationHandler = async (ctx, data) => {
  const access = await authenticate(ctx, data, OP, { fail: 'Authorization failing!' });
  try {
    return await search(ctx, access, data);
  } catch (e) {
    throw toOperationError(OP, e, { accessDenied: 'User does not have access to the ticket!' });
  }
};
