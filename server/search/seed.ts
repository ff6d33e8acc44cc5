/**
 * Bulk ticket generator for demos and benchmarks (`npx helpdesk seed --tickets N`): N tickets with
 * about three articles each, realistic titles and bodies from a word list (some words frequent,
 * some rare), spread over queues, states, priorities, types, owners and customer users, created
 * over the past year, with date-based ticket numbers that continue the per-day counters, and their
 * full-text documents. Everything is generated inside the database (`insert ... select
 * generate_series`) from a deterministic hash of the row number, in batches within one
 * transaction: 100k tickets and 300k articles take about 45 s on PostgreSQL (2 vCPUs).
 *
 * @example
 * const r = await seedTickets(db, 100_000, { log: console.log });
 * // → { tickets: 100000, articles: 300209, firstId: 1, lastId: 100000, ms: 43712 }
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema';
import { refreshTicketSearch } from './document';
import { BODY_WORDS, FUNCTION_WORDS, TITLE_NOUNS, TITLE_PROBLEMS } from './seed-words';

export interface SeedOptions {
  /** Tickets per statement (all batches run in one transaction). Default 10 000. */
  batchSize?: number;
  /** Varies the generated data; the same seed gives the same tickets. Default 1. */
  seed?: number;
  /** Customer users to make (in companies of about five) when fewer exist. Default 200. */
  customerUsers?: number;
  /** The newest ticket's creation time; tickets spread over the year before it. Default now. */
  now?: Date;
  /** Ticket number system id (as `TICKET_NUMBER_PREFIX`). Default `10`. */
  prefix?: string;
  /**
   * Drop the full-text indexes and build them again at the end (much faster for big loads).
   * Default: when adding at least 5 000 tickets and at least half as many as are indexed already.
   */
  rebuildIndexes?: boolean;
  /** Progress messages. */
  log?: (message: string) => void;
}

export interface SeedResult {
  tickets: number;
  articles: number;
  firstId: number | null;
  lastId: number | null;
  ms: number;
}

/** Syllables of made-up words (24³ of them). */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'bra', 'fen', 'gor', 'hul', 'jin', 'kes', 'lum', 'mor', 'nix', 'pol', 'quor', 'ris', 'sol', 'tem', 'ulv', 'wex'];

/** Queues the demo data also uses, made (in group `users`) when missing. */
const DEMO_QUEUES = ['Support', 'Support::Hardware', 'Support::Software', 'Sales', 'Billing'];

/** Relative weights of states and priorities by name (names missing in the catalogue are skipped). */
const STATE_WEIGHTS: Record<string, number> = {
  new: 3, open: 5, 'pending reminder': 1, 'pending auto close+': 1, 'closed successful': 8, 'closed unsuccessful': 2,
};
const PRIORITY_WEIGHTS: Record<string, number> = { '1 very low': 1, '2 low': 3, '3 normal': 10, '4 high': 4, '5 very high': 2 };

/** Ids repeated by weight, so a uniform pick from the list follows the weights. */
function weighted(rows: Array<{ id: number; name: string }>, weights: Record<string, number>): number[] {
  const out = rows.flatMap((r) => Array<number>(weights[r.name] ?? 0).fill(r.id));
  return out.length ? out : rows.map((r) => r.id);
}

async function ensureCatalogue(db: Kysely<DB>, customerUsers: number) {
  const users = await db.selectFrom('groups').select('id').where('name', '=', 'users').executeTakeFirst();
  if (users) {
    await db
      .insertInto('queues')
      .values(DEMO_QUEUES.map((name) => ({ name, group_id: users.id, comment: 'Demo queue' })))
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
  const have = Number((await db.selectFrom('customer_users').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n);
  if (have < customerUsers) {
    await sql`
      insert into customer_companies (customer_id, name, city)
      select 'SEED-' || lpad(c::text, 4, '0'), 'Company ' || c || ' Ltd.', (array['Berlin','Paris','Rome','Oslo','Lisbon'])[1 + c % 5]
      from generate_series(1, ${Math.ceil(customerUsers / 5)}::int) c
      on conflict (customer_id) do nothing`.execute(db);
    await sql`
      insert into customer_users (login, first_name, last_name, email, customer_id, password_hash)
      select 'seed-customer-' || lpad(u::text, 5, '0'), 'Customer', 'No. ' || u, 'customer' || u || '@example.test',
             'SEED-' || lpad((1 + (u - 1) / 5)::text, 4, '0'), null
      from generate_series(1, ${customerUsers}::int) u
      on conflict (login) do nothing`.execute(db);
  }
}

async function pools(db: Kysely<DB>) {
  const [queues, states, priorities, types, agents, customers] = await Promise.all([
    db.selectFrom('queues').select('id').where('valid', '=', true).orderBy('id').execute(),
    db.selectFrom('states as s').innerJoin('state_types as st', 'st.id', 's.type_id').select(['s.id', 's.name', 'st.name as type']).execute(),
    db.selectFrom('priorities').select(['id', 'name']).execute(),
    db.selectFrom('ticket_types').select('id').where('valid', '=', true).execute(),
    db.selectFrom('agents').select('id').where('valid', '=', true).orderBy('id').execute(),
    db.selectFrom('customer_users').select(['id', 'customer_id']).orderBy('id').limit(100_000).execute(),
  ]);
  if (!queues.length || !states.length || !priorities.length || !types.length || !agents.length) {
    throw new Error('seed: the catalogue needs at least one queue, state, priority, ticket type and agent (run the migrations and create the admin first)');
  }
  const stateIds = weighted(states, STATE_WEIGHTS);
  return {
    queues: queues.map((q) => q.id),
    states: stateIds,
    pending: states.filter((s) => s.type.startsWith('pending')).map((s) => s.id),
    open: states.filter((s) => s.type === 'open').map((s) => s.id),
    priorities: weighted(priorities, PRIORITY_WEIGHTS),
    types: types.map((t) => t.id),
    agents: agents.map((a) => a.id),
    // Without customer users, tickets get none (a pick of 0 becomes null).
    customerUsers: customers.length ? customers.map((c) => c.id) : [0],
    customerIds: customers.length ? customers.map((c) => c.customer_id) : [null],
  };
}

/**
 * Drops the GIN indexes of `ticket_search` (building them once after a bulk load is several times
 * faster than updating them row by row) and resolves to the statements that recreate them exactly.
 */
async function dropSearchIndexes(trx: Kysely<DB>): Promise<string[]> {
  const rows = await sql<{ name: string; def: string }>`
    select indexname as name, indexdef as def from pg_indexes
    where schemaname = current_schema() and tablename = 'ticket_search' and indexdef ilike '% using gin %'`.execute(trx);
  for (const r of rows.rows) await sql`drop index ${sql.id(r.name)}`.execute(trx);
  return rows.rows.map((r) => r.def);
}

/**
 * Inserts `n` tickets with their articles and search documents, in one transaction (which holds
 * the search table locked while it runs: meant for empty or demo databases, not live ones).
 */
const YEAR_MS = 365 * 24 * 3600 * 1000;

interface Generator {
  seed: number;
  prefix: string;
  end: Date;
  /** Creation time of row 1; row g is created `(g - 1) * stepMs` later. */
  start: Date;
  stepMs: number;
  pools: Awaited<ReturnType<typeof pools>>;
}

/** A deterministic non-negative int per row (`g` in the query) and purpose `k`. */
const rnd = (g: Generator, k: number) => sql`(hashint8(g::bigint * 64 + ${k} + ${g.seed}::bigint * 1000003) & 2147483647)`;

/** A uniform pick from a list (passed as one array parameter). */
const pick = (g: Generator, arr: unknown[], type: 'int' | 'text', k: number) =>
  sql`(${arr}::${sql.raw(type)}[])[1 + ${rnd(g, k)} % ${arr.length}]`;

/**
 * Zipf-like pick (log-uniform index) from the array column `list`: its first words far more often
 * than its last. float8 throughout: numeric power() would make the generator a hundred times slower.
 */
const word = (k: RawBuilder<unknown>, list: string) =>
  sql`(${sql.ref(list)})[1 + floor(power((array_length(${sql.ref(list)}, 1) + 1)::float8, (${k})::float8 / 2147483648.0::float8) - 1)::int]`;

/**
 * A body word: half function words (Zipf-like), a fifth helpdesk words (uniform), the rest one of
 * 13 824 made-up words (the long tail of real text), so a given helpdesk word is in a few percent
 * of the tickets and a made-up one in a few hundredths of a percent per thousand tickets.
 */
const bodyWord = (k: RawBuilder<unknown>) => sql`case
  when (${k}) % 10 < 5 then ${word(sql`((${k})::bigint * 7919 & 2147483647)`, 'w.fn')}
  when (${k}) % 10 < 7 then w.body[1 + (${k} / 10) % array_length(w.body, 1)]
  else (${SYLLABLES}::text[])[1 + (${k} / 10) % 24] || (${SYLLABLES}::text[])[1 + (${k} / 240) % 24] || (${SYLLABLES}::text[])[1 + (${k} / 5760) % 24] end`;

/**
 * Tickets of rows `from`..`to`, numbered `YYYYMMDD` + prefix + the day's counter (continuing
 * `ticket_counters`, which is moved on) + check digit. Resolves to their ids.
 */
async function insertTickets(trx: Kysely<DB>, g: Generator, from: number, to: number): Promise<number[]> {
  const p = g.pools;
  const r = (k: number) => rnd(g, k);
  const inserted = await sql<{ id: number }>`
    with src as (
      select g, ${g.start.toISOString()}::timestamptz + ((g - 1) * ${g.stepMs}::float8) * interval '1 millisecond' as created_at
      from generate_series(${from}::int, ${to}::int) g
    ), numbered as (
      select s.*, to_char(s.created_at at time zone 'UTC', 'YYYYMMDD') as day,
             row_number() over (partition by to_char(s.created_at at time zone 'UTC', 'YYYYMMDD') order by g) as nr
      from src s
    ), based as (
      select nb.*, nb.day || ${g.prefix}::text || lpad((coalesce(tc.counter, 0) + nb.nr)::text, 5, '0') as base,
             ${pick(g, p.states, 'int', 1)} as state_id, ${r(2)} as u
      from numbered nb left join ticket_counters tc on tc.day = nb.day
    ), words as (
      select ${TITLE_NOUNS}::text[] as nouns, ${TITLE_PROBLEMS}::text[] as problems, ${BODY_WORDS}::text[] as body
    )
    insert into tickets (tn, title, queue_id, state_id, priority_id, type_id, locked, owner_id, responsible_id,
                         customer_id, customer_user_id, pending_until, created_at, changed_at)
    select b.base || (select case when s % 10 = 0 then 1 else 10 - s % 10 end
                      from (select sum(case when i % 2 = 1 then 1 else 2 end * substr(b.base, i, 1)::int) as s
                            from generate_series(1, length(b.base)) i) cs)::text,
           ${word(r(3), 'w.nouns')} || ' ' || ${word(r(4), 'w.problems')}
             || case when ${r(5)} % 3 = 0 then ' (' || w.body[1 + ${r(6)} % array_length(w.body, 1)] || ')' else '' end,
           ${pick(g, p.queues, 'int', 7)}, b.state_id, ${pick(g, p.priorities, 'int', 8)}, ${pick(g, p.types, 'int', 9)},
           b.state_id = any(${p.open}::int[]) and b.u % 3 = 0,
           ${pick(g, p.agents, 'int', 10)},
           case when ${r(11)} % 10 < 3 then ${pick(g, p.agents, 'int', 12)} end,
           ${pick(g, p.customerIds, 'text', 13)},
           nullif(${pick(g, p.customerUsers, 'int', 13)}, 0),
           case when b.state_id = any(${p.pending}::int[]) then b.created_at + interval '3 days' end,
           b.created_at,
           least(b.created_at + (${r(14)} % 864000) * interval '1 second', ${g.end.toISOString()}::timestamptz)
    from based b, words w
    order by g
    returning id`.execute(trx);
  const ids = inserted.rows.map((x) => x.id);
  if (ids.length) {
    await sql`
      insert into ticket_counters (day, counter)
      select substr(tn, 1, 8), max(substr(tn, ${9 + g.prefix.length}, length(tn) - ${9 + g.prefix.length})::int)
      from tickets where id between ${Math.min(...ids)} and ${Math.max(...ids)} group by 1
      on conflict (day) do update set counter = greatest(ticket_counters.counter, excluded.counter)`.execute(trx);
  }
  return ids;
}

/** 1 to 5 articles (3 on average) per ticket: the request, then answers and internal notes. Resolves to how many. */
async function insertArticles(trx: Kysely<DB>, g: Generator, lo: number, hi: number): Promise<number> {
  const r = (k: number) => rnd(g, k);
  const result = await sql`
    with a as (
      select t.id as ticket_id, t.title, t.created_at, k, t.id::bigint * 8 + k as g
      from tickets t cross join lateral generate_series(1, 1 + (hashint8(t.id::bigint + ${g.seed}::bigint) & 2147483647) % 5) k
      where t.id between ${lo} and ${hi}
    ), words as (select ${BODY_WORDS}::text[] as body, ${FUNCTION_WORDS}::text[] as fn)
    insert into articles (ticket_id, channel, sender_type, direction, visible_for_customer, from_addr, to_addr,
                          subject, body_text, created_at)
    select a.ticket_id,
           case when a.k = 1 then (array['email','phone','portal'])[1 + ${r(20)} % 3] when a.k % 3 = 0 then 'note' else 'email' end,
           case when a.k % 2 = 1 then 'customer' else 'agent' end,
           case when a.k % 3 = 0 then 'internal' when a.k % 2 = 1 then 'incoming' else 'outgoing' end,
           a.k % 3 <> 0,
           case when a.k % 2 = 1 then 'customer@example.test' else 'support@example.test' end,
           case when a.k % 2 = 1 then 'support@example.test' else 'customer@example.test' end,
           case when a.k = 1 then a.title when a.k % 3 = 0 then 'Internal note' else 'Re: ' || a.title end,
           (select string_agg(${bodyWord(sql`(hashint8(a.g * 131 + i + ${g.seed}::bigint) & 2147483647)`)}, ' ')
            from generate_series(1, 12 + (hashint8(a.g + 7) & 2147483647) % 60) i) || '.',
           a.created_at + (a.k - 1) * interval '2 hours'
    from a, words w
    order by a.ticket_id, a.k`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

export async function seedTickets(db: Kysely<DB>, n: number, opts: SeedOptions = {}): Promise<SeedResult> {
  const started = Date.now();
  const log = (m: string) => opts.log?.(`seed: ${m} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const batchSize = Math.max(1, opts.batchSize ?? 10_000);
  await ensureCatalogue(db, opts.customerUsers ?? 200);
  const end = opts.now ?? new Date();
  const g: Generator = {
    seed: opts.seed ?? 1,
    prefix: opts.prefix ?? '10',
    end,
    start: new Date(end.getTime() - YEAR_MS),
    stepMs: n > 1 ? YEAR_MS / n : 0,
    pools: await pools(db),
  };
  let firstId: number | null = null;
  let lastId: number | null = null;
  let articles = 0;
  // One transaction: a failed or interrupted seed leaves nothing behind (not even dropped indexes).
  await db.transaction().execute(async (trx) => {
    const existing = (await trx.selectFrom('ticket_search').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
    const rebuild = opts.rebuildIndexes ?? n >= Math.max(5000, Number(existing) / 2);
    const dropped = rebuild ? await dropSearchIndexes(trx) : [];
    for (let from = 1; from <= n; from += batchSize) {
      const to = Math.min(n, from + batchSize - 1);
      const ids = await insertTickets(trx, g, from, to);
      if (!ids.length) continue;
      const [lo, hi] = [Math.min(...ids), Math.max(...ids)];
      firstId ??= lo;
      lastId = hi;
      articles += await insertArticles(trx, g, lo, hi);
      for (let i = 0; i < ids.length; i += 5000) await refreshTicketSearch(trx, ids.slice(i, i + 5000));
      log(`${to} of ${n} tickets, ${articles} articles`);
    }
    if (dropped.length) {
      log(`rebuilding ${dropped.length} full-text indexes`);
      await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
      for (const def of dropped) await sql.raw(def).execute(trx);
    }
  });
  log('done');
  return { tickets: n, articles, firstId, lastId, ms: Date.now() - started };
}
