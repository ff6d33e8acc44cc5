/**
 * The bulk ticket generator: realistic, searchable tickets with valid, unique ticket numbers that
 * continue the per-day counters, about three articles each, and their search documents.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTickets } from '../server/search/seed';
import { databaseKinds } from './support/db';
import { ADMIN_PASSWORD, Client, startTestServer, type TestServer } from './support/server';

/** OTRS DateChecksum: digits weighted 1, 2, 1, 2 ... ; 10 − sum mod 10, where 10 becomes 1. */
function validTn(tn: string): boolean {
  const base = tn.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < base.length; i++) sum += (i % 2 === 0 ? 1 : 2) * Number(base[i]);
  const d = 10 - (sum % 10);
  return Number(tn.slice(-1)) === (d === 10 ? 1 : d);
}

describe.each(databaseKinds)('seedTickets on %s', (kind) => {
  let server: TestServer;
  const now = new Date('2026-06-30T12:00:00Z');

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.close());

  it('makes N tickets with ~3 articles each, spread over the catalogue, all searchable', async () => {
    const db = server.database.db;
    const r = await seedTickets(db, 300, { batchSize: 120, now, customerUsers: 20 });
    expect(r).toMatchObject({ tickets: 300 });
    expect(r.lastId! - r.firstId! + 1).toBe(300);
    const tickets = await db.selectFrom('tickets').selectAll().execute();
    expect(tickets).toHaveLength(300);
    expect(r.articles).toBe(Number((await db.selectFrom('articles').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n));
    expect(r.articles / 300).toBeGreaterThan(2.5);
    expect(r.articles / 300).toBeLessThan(3.5);
    for (const col of ['queue_id', 'state_id', 'priority_id', 'owner_id', 'customer_user_id'] as const) {
      expect(new Set(tickets.map((t) => t[col])).size, col).toBeGreaterThan(col === 'owner_id' ? 0 : 3);
    }
    expect(tickets.every((t) => t.created_at <= now && t.created_at >= new Date(now.getTime() - 366 * 86400_000))).toBe(true);
    expect(tickets.every((t) => t.changed_at >= t.created_at && t.changed_at <= now)).toBe(true);
    expect(new Set(tickets.map((t) => t.title)).size).toBeGreaterThan(100);
    const docs = await db.selectFrom('ticket_search').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(Number(docs.n)).toBe(300);

    // A word of an article body is found by the API, as the admin.
    const article = await db.selectFrom('articles').select(['ticket_id', 'body_text']).where('ticket_id', '=', r.lastId!).orderBy('id').executeTakeFirstOrThrow();
    const word = article.body_text.split(/\s+/).find((w) => /^[a-z]{6,}$/.test(w))!;
    const admin = new Client(server.url);
    await admin.login('admin', ADMIN_PASSWORD);
    const res = await admin.post('/api/v1/tickets/search', { query: word, perPage: 200, archived: 'all' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { id: number }) => t.id)).toContain(r.lastId);
  });

  it('gives valid, unique date-based numbers that continue the day counters, also when run again', async () => {
    const db = server.database.db;
    await seedTickets(db, 200, { now, rebuildIndexes: true });
    const tickets = await db.selectFrom('tickets').select(['tn', 'created_at']).execute();
    expect(tickets).toHaveLength(500);
    expect(new Set(tickets.map((t) => t.tn)).size).toBe(500);
    for (const t of tickets) {
      expect(t.tn).toMatch(/^\d{8}10\d{5}\d$/);
      expect(t.tn.slice(0, 8)).toBe(t.created_at.toISOString().slice(0, 10).replaceAll('-', ''));
      expect(validTn(t.tn), t.tn).toBe(true);
    }
    const counters = new Map((await db.selectFrom('ticket_counters').selectAll().execute()).map((c) => [c.day, c.counter]));
    for (const t of tickets) expect(counters.get(t.tn.slice(0, 8))).toBeGreaterThanOrEqual(Number(t.tn.slice(10, 15)));
    // The full-text indexes were dropped for the load and are back.
    const idx = await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'ticket_search' and schemaname = current_schema()`.execute(db);
    expect(idx.rows.map((i) => i.indexname).sort()).toEqual(['ticket_search_content_trgm', 'ticket_search_document', 'ticket_search_pkey']);
  });
});
