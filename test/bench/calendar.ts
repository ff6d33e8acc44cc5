/**
 * Calendar benchmark (issue 22): a month view over 50 calendars holding 10,000 repeating
 * appointments (server time of `AppointmentService.window`, p50/p95 over rounds), and the iCal
 * feed of a calendar with 5,000 appointments. PostgreSQL when CALENDAR_BENCH_URL /
 * TEST_DATABASE_URL / DATABASE_URL is set (in its own schema, dropped afterwards), else PGlite in
 * memory.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- calendar
 */
import pg from 'pg';
import { Access } from '../../server/access/access';
import { ensureAdmin } from '../../server/auth/service';
import { AppointmentService } from '../../server/calendars/appointments';
import { calendarFeed } from '../../server/calendars/ical';
import { migrateToLatest, openDatabase } from '../../server/db/index';

const url = process.env.CALENDAR_BENCH_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
const rounds = Number(process.env.CALENDAR_BENCH_ROUNDS ?? 20);
const CALENDARS = 50;
const APPOINTMENTS = 10_000;
const FEED_APPOINTMENTS = 5_000;
const RULES = ['FREQ=WEEKLY;BYDAY=MO', 'FREQ=MONTHLY;BYMONTHDAY=15', 'FREQ=DAILY;COUNT=30', 'FREQ=YEARLY', 'FREQ=MONTHLY;BYDAY=+2WE'];

async function admin(sqlText: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

const schema = url ? `calendar_bench_${Date.now().toString(36)}` : undefined;
if (schema) await admin(`create schema ${schema}`);
const database = await openDatabase({ url, schema, poolSize: 4 });
try {
  await migrateToLatest(database.db);
  await ensureAdmin(database.db, 'bench-admin-password');
  const db = database.db;
  const adminAgent = await db.selectFrom('agents').select(['id', 'login']).where('login', '=', 'admin').executeTakeFirstOrThrow();
  const group = await db.selectFrom('groups').select('id').where('name', '=', 'admin').executeTakeFirstOrThrow();
  const cals = await db
    .insertInto('calendars')
    .values(Array.from({ length: CALENDARS + 1 }, (_, i) => ({ name: `Calendar ${i}`, color: '#336699', group_id: group.id })))
    .returning('id')
    .execute();
  const now = new Date('2027-01-01T00:00:00Z');
  const rows = (n: number, calendar: (i: number) => number, rule: (i: number) => string | null) =>
    Array.from({ length: n }, (_, i) => {
      const start = new Date(now.getTime() - (i % 365) * 86_400_000 + (i % 10) * 3_600_000);
      const rrule = rule(i);
      return { calendar_id: calendar(i), uid: `bench-${calendar(i)}-${i}@bench`, title: `Appointment ${i}`, start_at: start, end_at: new Date(start.getTime() + 3_600_000), time_zone: 'Europe/Berlin', rrule, last_end_at: rrule?.includes('COUNT') ? new Date(start.getTime() + 31 * 86_400_000) : rrule ? null : new Date(start.getTime() + 3_600_000), exdates: '[]' };
    });
  const all = rows(APPOINTMENTS, (i) => cals[i % CALENDARS]!.id, (i) => RULES[i % RULES.length]!);
  for (let i = 0; i < all.length; i += 1000) await db.insertInto('appointments').values(all.slice(i, i + 1000)).execute();
  const feedRows = rows(FEED_APPOINTMENTS, () => cals[CALENDARS]!.id, (i) => (i % 4 ? null : RULES[i % RULES.length]!));
  for (let i = 0; i < feedRows.length; i += 1000) await db.insertInto('appointments').values(feedRows.slice(i, i + 1000)).execute();

  const access = new Access(db, { kind: 'agent', id: adminAgent.id, login: adminAgent.login, via: 'token' });
  const service = new AppointmentService(db, () => now);
  const calendarIds = cals.slice(0, CALENDARS).map((c) => c.id);
  const times: number[] = [];
  let count = 0;
  for (let r = 0; r < rounds + 2; r++) {
    const t = performance.now();
    count = (await service.window(access, { from: '2027-03-01T00:00:00Z', to: '2027-04-01T00:00:00Z', calendarIds })).length;
    if (r >= 2) times.push(performance.now() - t);
  }
  console.log(`BENCH calendar_month_view_p50 ${percentile(times, 50).toFixed(1)} ms (${count} occurrences of ${APPOINTMENTS} appointments in ${CALENDARS} calendars, ${database.kind})`);
  console.log(`BENCH calendar_month_view_p95 ${percentile(times, 95).toFixed(1)} ms`);
  const feed: number[] = [];
  let bytes = 0;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    bytes = (await calendarFeed(db, cals[CALENDARS]!.id, now)).length;
    feed.push(performance.now() - t);
  }
  console.log(`BENCH calendar_feed_${FEED_APPOINTMENTS} ${percentile(feed, 50).toFixed(1)} ms (median of 5, ${bytes} bytes)`);
} finally {
  await database.close();
  if (schema) await admin(`drop schema ${schema} cascade`);
}
