/**
 * Static statistics: computations shipped with the product that a matrix or list cannot express
 * (OTRS's "static" statistic modules). Each reads the tickets the caller may read (or every
 * ticket for a system-wide statistic) and returns a table. The process statistic reads the
 * process monitoring roll-ups (`processes/stats.ts`) and so counts every instance: it needs the
 * `stats` rw group, like any system-wide statistic.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema';
import type { Access } from '../access/access';
import { BadRequest } from '../errors';
import { processStats } from '../processes/stats';
import { checkTimeZone, closedAt } from './dimensions';
import type { Cell, StatDefinition, StatResult } from './schema';

export interface StaticEnv {
  db: Kysely<DB>;
  access: Access;
  now: Date;
}

interface StaticStat {
  title: string;
  description: string;
  run(env: StaticEnv, def: StatDefinition): Promise<StatResult>;
}

/** The first answer an agent gave the customer: the first agent article visible to the customer. */
const firstResponseAt = sql`(select min(a.created_at) from articles a where a.ticket_id = t.id and a.sender_type = 'agent' and a.visible_for_customer)`;
const isOpen = sql`t.state_id in (select s.id from states s join state_types st on st.id = s.type_id where st.name not in ('closed', 'merged', 'removed'))`;
const minutes = (a: RawBuilder<unknown>, b: RawBuilder<unknown>) => sql`round(extract(epoch from (${a} - ${b})) / 60)::float8`;

function limitOf(def: StatDefinition): number {
  const n = Number(def.params?.limit ?? 1000);
  if (!Number.isInteger(n) || n < 1 || n > 100000) throw new BadRequest('limit must be an integer from 1 to 100000', '/params/limit');
  return n;
}

async function ticketTable(env: StaticEnv, def: StatDefinition, value: RawBuilder<unknown>, extra: RawBuilder<unknown>, valueName: string, order: 'asc' | 'desc'): Promise<StatResult> {
  const filter = await env.access.statTicketFilter(!!def.systemWide);
  const tz = sql.lit(checkTimeZone(def.timeZone ?? 'UTC', '/timeZone'));
  const rows = await env.db
    .selectFrom('tickets as t')
    .where(filter)
    .where(extra as RawBuilder<boolean>)
    .select([
      't.tn',
      't.title',
      sql<string>`(select q.name from queues q where q.id = t.queue_id)`.as('queue'),
      sql<string>`to_char(t.created_at at time zone ${tz}, 'YYYY-MM-DD HH24:MI')`.as('created'),
      sql<number>`${value}`.as('v'),
    ])
    .orderBy(sql`${value}`, order)
    .orderBy('t.id')
    .limit(limitOf(def))
    .execute();
  return {
    title: def.title ?? def.name,
    columns: ['tn', 'title', 'queue', 'created', valueName],
    rows: rows.map((r) => [r.tn, r.title, r.queue, r.created, r.v === null ? null : Number(r.v)]),
  };
}

export const STATIC_STATS: Record<string, StaticStat> = {
  'solution-time': {
    title: 'Closed tickets by solution time',
    description: 'Closed tickets, longest solution time (minutes from creation to closing) first.',
    run: (env, def) => ticketTable(env, def, minutes(closedAt, sql`t.created_at`), sql`${closedAt} is not null`, 'solution minutes', 'desc'),
  },
  'response-time': {
    title: 'Tickets by first response time',
    description: 'Answered tickets, longest time to the first answer visible to the customer (minutes) first.',
    run: (env, def) => ticketTable(env, def, minutes(firstResponseAt, sql`t.created_at`), sql`${firstResponseAt} is not null`, 'response minutes', 'desc'),
  },
  'time-left-response': {
    title: 'Open tickets by time left until the response deadline',
    description: "Open tickets with an SLA first-response time and no answer yet, least time left (minutes; negative: overdue) first.",
    run: (env, def) => {
      const left = sql`round(extract(epoch from (t.created_at + make_interval(mins => (select sl.first_response_minutes from slas sl where sl.id = t.sla_id)) - ${env.now})) / 60)::float8`;
      return ticketTable(env, def, left, sql`${isOpen} and ${firstResponseAt} is null and (select sl.first_response_minutes from slas sl where sl.id = t.sla_id) is not null`, 'minutes left', 'asc');
    },
  },
  'time-left-solution': {
    title: 'Open tickets by time left until the solution deadline',
    description: 'Open tickets with an SLA solution time, least time left (minutes; negative: overdue) first.',
    run: (env, def) => {
      const left = sql`round(extract(epoch from (t.created_at + make_interval(mins => (select sl.solution_minutes from slas sl where sl.id = t.sla_id)) - ${env.now})) / 60)::float8`;
      return ticketTable(env, def, left, sql`${isOpen} and (select sl.solution_minutes from slas sl where sl.id = t.sla_id) is not null`, 'minutes left', 'asc');
    },
  },
  'state-changes': {
    title: 'Changes of ticket states',
    description: 'State changes per day (in the time zone) and new state.',
    async run(env, def) {
      const filter = await env.access.statTicketFilter(!!def.systemWide);
      const tz = sql.lit(checkTimeZone(def.timeZone ?? 'UTC', '/timeZone'));
      const readable = env.db.selectFrom('tickets as t').select('t.id').where(filter);
      const rows = await env.db
        .selectFrom('ticket_history as h')
        .where('h.type', '=', 'StateUpdate')
        .where('h.ticket_id', 'in', readable)
        .select([sql<string>`to_char(h.created_at at time zone ${tz}, 'YYYY-MM-DD')`.as('day'), sql<string>`coalesce(h.new_value, '-')`.as('state'), sql<string>`count(*)`.as('n')])
        .groupBy([sql`1`, sql`2`])
        .execute();
      const states = [...new Set(rows.map((r) => r.state))].sort();
      const days = [...new Set(rows.map((r) => r.day))].sort();
      const at = new Map(rows.map((r) => [`${r.day}|${r.state}`, Number(r.n)]));
      const body: Cell[][] = days.map((d) => {
        const v = states.map((s) => at.get(`${d}|${s}`) ?? 0);
        return [d, ...v, v.reduce((a, b) => a + b, 0)];
      });
      const sums = states.map((_, i) => body.reduce((s, r) => s + (r[i + 1] as number), 0));
      return { title: def.title ?? def.name, columns: ['day', ...states, 'Sum'], rows: body, sumRow: ['Sum', ...sums, sums.reduce((a, b) => a + b, 0)], sumColumn: true };
    },
  },
  'average-solution-time': {
    title: 'Average solution time per month',
    description: 'Tickets closed per month of closing (in the time zone) and their average solution time in minutes.',
    async run(env, def) {
      const filter = await env.access.statTicketFilter(!!def.systemWide);
      const tz = sql.lit(checkTimeZone(def.timeZone ?? 'UTC', '/timeZone'));
      const rows = await env.db
        .selectFrom('tickets as t')
        .where(filter)
        .where(sql<boolean>`${closedAt} is not null`)
        .select([
          sql<string>`to_char(${closedAt} at time zone ${tz}, 'YYYY-MM')`.as('month'),
          sql<string>`count(*)`.as('n'),
          sql<number>`round(avg(extract(epoch from (${closedAt} - t.created_at)) / 60))::float8`.as('avg'),
        ])
        .groupBy(sql`1`)
        .orderBy(sql`1`)
        .execute();
      return { title: def.title ?? def.name, columns: ['month', 'closed tickets', 'average solution minutes'], rows: rows.map((r) => [r.month, Number(r.n), Number(r.avg)]) };
    },
  },
  process: {
    title: 'Process statistics',
    description: 'Per process (newest version): instances started, completed and cancelled, and visits and average time per node, from the process monitoring figures. Counts every instance.',
    async run(env, def) {
      await env.access.statTicketFilter(true);
      const only = def.params?.process ? String(def.params.process) : undefined;
      const procs = await env.db.selectFrom('process_versions').select('key as process_key').distinct().$if(!!only, (q) => q.where('key', '=', only!)).orderBy('key').execute();
      const rows: Cell[][] = [];
      for (const p of procs) {
        const s = await processStats(env.db, p.process_key, { bucket: 'day' }, env.now);
        rows.push([s.process, s.version, '(instances)', s.instances.started, s.instances.completed, s.instances.cancelled, s.instances.completed, s.instances.avgMs]);
        for (const n of s.nodes) rows.push([s.process, s.version, n.name ?? n.nodeId, null, null, null, n.visits, n.avgMs]);
      }
      return { title: def.title ?? def.name, columns: ['process', 'version', 'node', 'started', 'completed', 'cancelled', 'visits', 'average ms'], rows };
    },
  },
};

/** Runs the static statistic `def.static`; an unknown name is a 400. */
export async function runStatic(env: StaticEnv, def: StatDefinition): Promise<StatResult> {
  const s = def.static ? STATIC_STATS[def.static] : undefined;
  if (!s) throw new BadRequest(`unknown static statistic ${JSON.stringify(def.static ?? '')}; known: ${Object.keys(STATIC_STATS).join(', ')}`, '/static');
  return s.run(env, def);
}
