/**
 * Knowledge-base search and suggestions at scale: seeds KB_BENCH_ARTICLES articles (default 100 000
 * on PostgreSQL, 5 000 on PGlite) in 20 categories — a fifth internal, a fifth hidden from customers
 * — straight in SQL into a fresh schema of the PostgreSQL at KB_BENCH_URL, TEST_DATABASE_URL or
 * DATABASE_URL (PGlite in memory when none is set), then measures, as an agent and as a customer
 * (permission filter included), full-text searches (count + first page of 20 with excerpts) and
 * suggestions for texts being typed:
 *
 *   BENCH kb_seed_100000 40.1 s
 *   BENCH kb_search_p95 20.3 ms
 *   BENCH kb_suggest_p95 10.2 ms
 *
 * KB_BENCH_SCHEMA=<name> keeps the seeded schema (and reuses it when it already holds the
 * articles), for measuring again after a change without seeding anew.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { Access } from '../../server/access/access';
import { kbScope } from '../../server/access/kb';
import { ensureAdmin } from '../../server/auth/service';
import { migrateToLatest, openDatabase } from '../../server/db/index';
import { searchArticles, suggestArticles } from '../../server/kb/search';
import { BODY_WORDS, TITLE_NOUNS, TITLE_PROBLEMS } from '../../server/search/seed-words';

const url = process.env.KB_BENCH_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
const n = Number(process.env.KB_BENCH_ARTICLES ?? (url ? 100_000 : 5_000));
const rounds = Number(process.env.KB_BENCH_ROUNDS ?? 15);

async function admin(text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const QUERIES = ['printer', 'vpn error', '"paper jam"', 'print*', 'password -expired', '(vpn OR proxy) AND certificate', '*ware', 'tok?n', 'quokka'];
const TYPED = ['My printer shows an err', 'vpn connection keeps dropping after the upd', 'cannot log in, password expired', 'Outlook crashes when I open the calendar', 'the scanner is offli', 'quokka'];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  const keep = url ? process.env.KB_BENCH_SCHEMA : undefined;
  if (keep && !/^[a-z_][a-z0-9_]*$/.test(keep)) throw new Error('KB_BENCH_SCHEMA: lower-case letters, digits and _');
  const schema = url ? keep || `kb_bench_${Date.now().toString(36)}` : undefined;
  if (schema) await admin(`create schema if not exists ${schema}`);
  const database = await openDatabase({ url, schema, poolSize: 4 });
  try {
    const db = database.db;
    await migrateToLatest(db);
    await ensureAdmin(db, 'bench-admin-password');
    const seeded = keep ? Number((await db.selectFrom('kb_articles').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n) : 0;
    if (seeded && seeded !== n) throw new Error(`schema ${keep} holds ${seeded} articles, not ${n}`);
    const t0 = performance.now();
    if (!seeded) {
      const group = await db.selectFrom('groups').select('id').where('name', '=', 'users').executeTakeFirstOrThrow();
      for (let c = 1; c <= 20; c++) await db.insertInto('kb_categories').values({ name: `Category ${c}`, group_id: group.id, customer_visible: c % 5 !== 0 }).execute();
      const arr = (words: string[]) => sql.raw(`array[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}]`);
      const pick = (a: ReturnType<typeof arr>, len: number) => sql`(${a})[1 + floor(random() * ${sql.lit(len)})::int]`;
      const text = sql`(select string_agg(${pick(arr(BODY_WORDS), BODY_WORDS.length)}, ' ') from generate_series(1, 60 + (g % 7) * 10) where g > 0)`;
      const batch = 10_000;
      for (let from = 1; from <= n; from += batch) {
        const to = Math.min(n, from + batch - 1);
        await sql`
          insert into kb_articles (category_id, title, keywords, state, solution, document, content, created_at, changed_at)
          select c, t, k, s, '<p>' || b || '</p>',
                 setweight(to_tsvector('simple', t || ' ' || k), 'A') || to_tsvector('simple', b), t || ' ' || k || E'\n' || b, now(), now()
          from (select g, 1 + g % 20 as c,
                       ${pick(arr(TITLE_NOUNS), TITLE_NOUNS.length)} || ' ' || ${pick(arr(TITLE_PROBLEMS), TITLE_PROBLEMS.length)} as t,
                       ${pick(arr(BODY_WORDS), BODY_WORDS.length)} as k,
                       (array['public','public','external','external','internal'])[1 + g % 5] as s,
                       ${text} as b
                from generate_series(${from}::int, ${to}::int) g) x`.execute(db);
      }
      // As autovacuum would after a bulk load: statistics, and the GIN pending list merged into the index.
      if (database.kind === 'postgres') await sql`vacuum analyze kb_articles`.execute(db);
      console.log(`BENCH kb_seed_${n} ${((performance.now() - t0) / 1000).toFixed(1)} s (${database.kind})`);
    } else console.log(`# reusing the ${seeded} articles in schema ${keep}`);

    const adminRow = await db.selectFrom('agents').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow();
    const agent = await kbScope(db, new Access(db, { kind: 'agent', id: adminRow.id, login: 'admin', via: 'token' }));
    const customer = await kbScope(db, new Access(db, { kind: 'customer', id: 1, login: 'c', customerId: 'X', companyTickets: false, via: 'token' } as never));
    const time = async (fn: () => Promise<unknown>) => {
      const s = performance.now();
      await fn();
      return performance.now() - s;
    };
    for (const scope of [agent, customer]) for (const q of QUERIES) await searchArticles(db, scope, { query: q }); // warm up
    const search: number[] = [];
    const suggest: number[] = [];
    const perQuery = new Map<string, number[]>();
    for (let r = 0; r < rounds; r++) {
      for (const scope of [agent, customer]) {
        for (const q of QUERIES) {
          const ms = await time(() => searchArticles(db, scope, { query: q }));
          search.push(ms);
          perQuery.set(q, [...(perQuery.get(q) ?? []), ms]);
        }
        for (const t of TYPED) suggest.push(await time(() => suggestArticles(db, scope, t, 5)));
      }
    }
    for (const [q, times] of perQuery) console.log(`# ${JSON.stringify(q)}: p50 ${percentile(times.sort((a, b) => a - b), 50).toFixed(1)} ms`);
    search.sort((a, b) => a - b);
    suggest.sort((a, b) => a - b);
    const hits = await searchArticles(db, customer, { query: 'printer' });
    console.log(`# customer search "printer": ${hits.total} hits`);
    console.log(`BENCH kb_search_p50 ${percentile(search, 50).toFixed(1)} ms`);
    console.log(`BENCH kb_search_p95 ${percentile(search, 95).toFixed(1)} ms`);
    console.log(`BENCH kb_suggest_p50 ${percentile(suggest, 50).toFixed(1)} ms`);
    console.log(`BENCH kb_suggest_p95 ${percentile(suggest, 95).toFixed(1)} ms`);
  } finally {
    await database.close();
    if (schema && !keep) await admin(`drop schema ${schema} cascade`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
