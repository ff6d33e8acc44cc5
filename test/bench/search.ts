/**
 * Full-text search at scale: seeds SEARCH_BENCH_TICKETS tickets (default 100 000, ~3 articles each)
 * with `seedTickets` into a fresh schema of the PostgreSQL at SEARCH_BENCH_URL, TEST_DATABASE_URL
 * or DATABASE_URL (PGlite in memory when none is set: use a smaller count there), then runs a mix of full-text
 * queries as the admin agent (the capped count + first page of 25, as `POST /tickets/search` does)
 * and prints the seeding time, the p50/p95 latencies over all queries and the p95 per kind of query
 * (common words, rare words, phrases, prefixes/wildcards, boolean). For the 1,000,000-article figure
 * seed 333,334 tickets (about three articles each) once into a kept schema, then measure again on it:
 *
 *   SEARCH_BENCH_URL=postgres://…/search SEARCH_BENCH_TICKETS=333334 SEARCH_BENCH_KEEP=1 npm run bench -- search
 *   SEARCH_BENCH_URL=postgres://…/search SEARCH_BENCH_SCHEMA=<kept schema> npm run bench -- search
 *
 * SEARCH_BENCH_KEEP=1 keeps the schema (its name is printed) for poking at with psql or measuring
 * again with SEARCH_BENCH_SCHEMA=<name> (no seeding). Prefer a
 * database of its own (SEARCH_BENCH_URL) to the one tests run in: while a schema with Kysely's
 * migration tables exists, the migrator of a test starting beside it may skip creating its own.
 */
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { Access } from '../../server/access/access';
import { ensureAdmin } from '../../server/auth/service';
import { migrateToLatest, openDatabase } from '../../server/db/index';
import { seedTickets } from '../../server/search/seed';
import { SearchService } from '../../server/search/service';

/** Runs one statement on its own connection (schema creation and clean-up). */
async function admin(sqlText: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

const url = process.env.SEARCH_BENCH_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
const n = Number(process.env.SEARCH_BENCH_TICKETS ?? (url ? 100_000 : 5_000));
const rounds = Number(process.env.SEARCH_BENCH_ROUNDS ?? 15);
const log = pino({ level: 'info' });

/** The queries, each with its kind (a p95 line per kind). */
const KINDS: Record<string, string> = {
  printer: 'common',
  vpn: 'common',
  '"paper jam"': 'phrase',
  'printer toner': 'common',
  'password -expired': 'boolean',
  '+login +failed': 'boolean',
  'print* AND (error OR crash)': 'boolean',
  'NOT printer AND urgent': 'boolean',
  'tok?n': 'prefix',
  '*ware': 'prefix',
  'print*': 'prefix',
  quokka: 'rare',
  kalomi: 'rare',
  '(vpn OR proxy) AND certificate -firewall': 'boolean',
};
const QUERIES = Object.keys(KINDS);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  // SEARCH_BENCH_SCHEMA: measure again on a schema kept by an earlier run (no seeding).
  const reuse = process.env.SEARCH_BENCH_SCHEMA;
  const schema = url ? (reuse ?? `search_bench_${Date.now().toString(36)}`) : undefined;
  if (schema && !reuse) await admin(`create schema ${schema}`);
  const database = await openDatabase({ url, schema, poolSize: 4 });
  try {
    await migrateToLatest(database.db);
    await ensureAdmin(database.db, 'bench-admin-password');
    const db = database.db;
    if (!reuse) {
      const seeded = await seedTickets(db, n, { log: (m) => log.info(m) });
      if (database.kind === 'postgres') await sql`analyze`.execute(db);
      console.log(`BENCH search_seed_${n} ${(seeded.ms / 1000).toFixed(1)} s (${seeded.articles} articles, ${database.kind})`);
    }

    const admin = await db.selectFrom('agents').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow();
    const service = new SearchService(db);
    const run = async (criteria: Parameters<SearchService['search']>[1]) => {
      const access = new Access(db, { kind: 'agent', id: admin.id, login: 'admin', via: 'token' });
      const t0 = performance.now();
      const res = await service.search(access, { archived: false, ...criteria });
      return { ms: performance.now() - t0, total: res.totalCapped ? `more than ${res.total}` : String(res.total) };
    };
    for (const query of QUERIES) await run({ query }); // warm up
    const all: number[] = [];
    const byKind = new Map<string, number[]>();
    for (const query of QUERIES) {
      const times: number[] = [];
      let total = '';
      for (let i = 0; i < rounds; i++) {
        const r = await run({ query });
        times.push(r.ms);
        total = r.total;
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      byKind.set(KINDS[query]!, [...(byKind.get(KINDS[query]!) ?? []), ...times]);
      log.info(`${JSON.stringify(query)}: ${total} hits, p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
    }
    all.sort((a, b) => a - b);
    console.log(`BENCH search_fulltext_p50 ${percentile(all, 50).toFixed(1)} ms`);
    console.log(`BENCH search_fulltext_p95 ${percentile(all, 95).toFixed(1)} ms`);
    for (const [kind, times] of byKind) console.log(`BENCH search_fulltext_${kind}_p95 ${percentile(times.sort((a, b) => a - b), 95).toFixed(1)} ms`);

    // A plain list and a deep keyset page (after walking 40 pages of 200) for comparison.
    const list: number[] = [];
    for (let i = 0; i < rounds; i++) list.push((await run({})).ms);
    list.sort((a, b) => a - b);
    console.log(`BENCH search_list_p50 ${percentile(list, 50).toFixed(1)} ms`);
    const access = new Access(db, { kind: 'agent', id: admin.id, login: 'admin', via: 'token' });
    let cursor: string | undefined;
    for (let i = 0; i < 40; i++) cursor = (await service.search(access, { archived: false, perPage: 200, ...(cursor ? { cursor } : {}) })).nextCursor ?? undefined;
    const deep: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      await service.search(access, { archived: false, perPage: 200, ...(cursor ? { cursor } : {}) });
      deep.push(performance.now() - t0);
    }
    deep.sort((a, b) => a - b);
    console.log(`BENCH search_cursor_page40_p50 ${percentile(deep, 50).toFixed(1)} ms`);
  } finally {
    await database.close();
    if (schema && !reuse && !process.env.SEARCH_BENCH_KEEP) await admin(`drop schema ${schema} cascade`);
    else if (schema) console.log(`kept schema ${schema}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
