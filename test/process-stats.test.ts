/**
 * Monitoring figures (`GET /api/v1/processes/{key}/stats`): real instances run through a deployed
 * process while the test moves the server clock between steps; the answer must show the tokens
 * waiting and stuck per node, the visits and their average / p95 durations matching the time the
 * clock was moved by (the real time the test takes adds a little, hence the tolerances), completed
 * and cancelled instances, and throughput per hour and per day — the same before and after the
 * roll-up. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { rollupStats } from '../server/engine/effects/stats';
import { engineFor } from '../server/engine/engine';
import { databaseKinds } from './support/db';
import { ADMIN_PASSWORD } from './support/server';
import { PW } from './support/tickets';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Real time passing while the test runs (requests, a loaded machine) adds to the moved clock. */
const SLACK = 15_000;

const reviewed: Process = {
  format: 'process/1', key: 'stats-review', name: 'Stats review', start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'review', name: 'Review', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'work', name: 'Work', type: 'scriptTask', script: { source: "export default ({ ticket }) => { if (ticket.title === 'fail') throw new Error('boom'); return { vars: { ok: true } }; }" } },
    { id: 'decide', type: 'exclusiveGateway', default: 'fine' },
    { id: 'end', type: 'endEvent' },
    { id: 'oddEnd', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'review' },
    { id: 't2', from: 'review', to: 'work' },
    { id: 't3', from: 'work', to: 'decide' },
    { id: 'odd', from: 'decide', to: 'oddEnd', condition: { all: [{ field: 'vars.ok', op: 'eq', value: false }] } },
    { id: 'fine', from: 'decide', to: 'end' },
  ],
};

const close = (actual: number | null, expected: number, slack = SLACK) => {
  expect(actual).not.toBeNull();
  expect(actual!).toBeGreaterThanOrEqual(expected);
  expect(actual!).toBeLessThanOrEqual(expected + slack);
};

describe.each(databaseKinds)('process statistics on %s', (kind) => {
  let h: EngineHelpdesk;
  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await deploy(h, reviewed);
    // Start one minute into an hour, so the whole scenario (about 35 minutes) stays in that hour.
    const now = h.srv.services.now().getTime();
    h.srv.advance(Math.ceil(now / HOUR) * HOUR + MIN - now);
  });
  afterAll(() => h?.close());

  const stats = async (query = '') => {
    const res = await h.as.admin!.get(`/api/v1/processes/stats-review/stats${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const node = (s: any, id: string) => s.nodes.find((n: any) => n.nodeId === id);
  const submit = async (ticketId: number, title: string) => {
    const res = await h.as.alice!.post(`/api/v1/tickets/${ticketId}/dialogs/review`, { fields: { Title: title } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const pending = async () => Number((await h.srv.database.db.selectFrom('process_stats_pending').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('counts waiting and stuck tokens per node, visits with their average and p95, completed and cancelled instances, throughput', async () => {
    const hourStart = Math.floor(h.srv.services.now().getTime() / HOUR) * HOUR;
    const started: any[] = [];
    for (let i = 0; i < 4; i++) started.push(await processTicket(h, 'alice', 'stats-review'));

    let s = await stats();
    expect(s).toMatchObject({ process: 'stats-review', version: 1, bucket: 'hour' });
    expect(s.instances).toMatchObject({ active: 4, incident: 0, started: 4, completed: 0, cancelled: 0, avgMs: null, p95Ms: null });
    expect(node(s, 'review')).toMatchObject({ name: 'Review', type: 'userTask', active: 4, incidents: 0, visits: 0, avgMs: null });
    expect(node(s, 'start')).toMatchObject({ active: 0, visits: 4, avgMs: 0, p95Ms: 0 });
    expect(s.nodes.map((n: any) => n.nodeId)).toEqual(['start', 'review', 'work', 'decide', 'end', 'oddEnd']);

    // Two reviews after 10 minutes; their scripts run 30 seconds later.
    h.srv.advance(10 * MIN);
    await submit(started[0].ticketId, 'one');
    await submit(started[1].ticketId, 'two');
    s = await stats();
    expect(node(s, 'review')).toMatchObject({ active: 2, visits: 2 });
    expect(node(s, 'work')).toMatchObject({ active: 2, visits: 0 });
    h.srv.advance(30_000);
    expect(await h.worker.drain()).toBeGreaterThanOrEqual(2);

    // The third review after 30.5 minutes; its script fails: an incident at "work".
    h.srv.advance(20 * MIN);
    await submit(started[2].ticketId, 'fail');
    expect(await h.worker.drain()).toBeGreaterThanOrEqual(1);
    // The fourth is cancelled while it waits at the review.
    const engine = engineFor(h.srv.services);
    await engine.ready();
    await engine.runner.applyEvent(started[3].instanceId, { type: 'cancel', by: 'admin' }, { by: { kind: 'system', id: null }, actor: 'admin' });

    s = await stats();
    expect(s.instances).toMatchObject({ active: 0, incident: 1, started: 4, completed: 2, cancelled: 1 });
    // Completed instances took 10.5 minutes each.
    close(s.instances.avgMs, 10 * MIN + 30_000);
    close(s.instances.p95Ms, 10 * MIN + 30_000);
    const review = node(s, 'review');
    expect(review).toMatchObject({ active: 0, incidents: 0, visits: 3 });
    close(review.avgMs, (10 * MIN * 2 + 30.5 * MIN) / 3);
    close(review.p95Ms, 30.5 * MIN); // the slowest of three is the p95 (nearest rank)
    const work = node(s, 'work');
    expect(work).toMatchObject({ active: 0, incidents: 1, visits: 2 });
    close(work.avgMs, 30_000);
    close(work.p95Ms, 30_000);
    expect(node(s, 'decide')).toMatchObject({ visits: 2, avgMs: 0, p95Ms: 0 });
    expect(node(s, 'end')).toMatchObject({ visits: 2, avgMs: 0 });

    const bucket = new Date(hourStart).toISOString();
    expect(s.throughput.find((t: any) => t.at === bucket)).toEqual({ at: bucket, started: 4, completed: 2, cancelled: 1 });
    expect(s.throughput.filter((t: any) => t.at !== bucket).every((t: any) => t.started + t.completed + t.cancelled === 0)).toBe(true);

    // A roll-up (each server runs one within a minute of new facts) moves them; the figures stay the same.
    h.srv.advance(2 * MIN);
    await rollupStats(h.srv.database.db);
    expect(await pending()).toBe(0);
    expect(await stats()).toEqual({ ...s, to: expect.any(String), throughput: expect.any(Array) });

    // An hour later another instance starts: a second hourly bucket; by day, one bucket holds both.
    h.srv.advance(HOUR);
    await processTicket(h, 'alice', 'stats-review');
    const next = new Date(hourStart + HOUR).toISOString();
    s = await stats(`?from=${new Date(hourStart).toISOString()}`);
    expect(s.throughput.filter((t: any) => t.started > 0)).toEqual([
      { at: bucket, started: 4, completed: 2, cancelled: 1 },
      { at: next, started: 1, completed: 0, cancelled: 0 },
    ]);
    expect(node(s, 'review')).toMatchObject({ active: 1 });
    const day = await stats(`?bucket=day&from=${new Date(hourStart).toISOString()}`);
    expect(day.bucket).toBe('day');
    const dayTotals = day.throughput.reduce((acc: any, t: any) => ({ started: acc.started + t.started, completed: acc.completed + t.completed }), { started: 0, completed: 0 });
    expect(dayTotals).toEqual({ started: 5, completed: 2 });
    expect(day.throughput.every((t: any) => t.at.endsWith('T00:00:00.000Z'))).toBe(true);

    // A range after all of it has no visits; the current figures stay.
    const later = await stats(`?from=${new Date(hourStart + 3 * HOUR).toISOString()}&to=${new Date(hourStart + 4 * HOUR).toISOString()}`);
    expect(later.instances).toMatchObject({ active: 1, incident: 1, started: 0, completed: 0, avgMs: null });
    expect(node(later, 'review')).toMatchObject({ active: 1, visits: 0, avgMs: null });
    expect(later.throughput).toHaveLength(1);
  });

  it('reads long ranges from the day and month roll-ups with the same figures', async () => {
    const before = await stats();
    const review0 = node(before, 'review');
    // Six weeks later an instance waits three days at the review; its script takes a minute.
    // (sessions end after hours of idleness: log in again after each jump)
    const relogin = async () => {
      for (const [login, pw] of [['alice', PW], ['admin', ADMIN_PASSWORD]] as const) {
        h.as[login]!.cookie = undefined;
        await h.as[login]!.login(login, pw);
      }
    };
    h.srv.advance(42 * 24 * HOUR);
    await relogin();
    const f = await processTicket(h, 'alice', 'stats-review');
    h.srv.advance(3 * 24 * HOUR);
    await relogin();
    const submittedAt = h.srv.services.now().getTime();
    await submit(f.ticketId, 'late');
    h.srv.advance(MIN);
    await h.worker.drain();
    await rollupStats(h.srv.database.db);
    expect(await pending()).toBe(0);

    const all = await stats();
    expect(all.bucket).toBe('day');
    expect(all.instances).toMatchObject({ started: before.instances.started + 1, completed: before.instances.completed + 1, cancelled: 1 });
    const review = node(all, 'review');
    expect(review.visits).toBe(review0.visits + 1);
    close(review.avgMs, (review0.avgMs * review0.visits + 3 * 24 * HOUR) / (review0.visits + 1), SLACK);
    close(review.p95Ms, 3 * 24 * HOUR); // the slowest of four
    expect(node(all, 'work')).toMatchObject({ visits: 3, incidents: 1 });
    // From the start of the first instances' month: that month is read from its month roll-up.
    const first = new Date(before.throughput.find((t: any) => t.started > 0).at);
    const month = await stats(`?from=${new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)).toISOString()}`);
    expect(month.nodes).toEqual(all.nodes);
    expect(month.instances).toEqual(all.instances);
    // Only the last days: the late instance alone.
    const recent = await stats(`?from=${new Date(submittedAt - 4 * 24 * HOUR).toISOString()}`);
    expect(node(recent, 'review').visits).toBe(1);
    close(node(recent, 'review').avgMs, 3 * 24 * HOUR);
    expect(recent.instances).toMatchObject({ started: 1, completed: 1, cancelled: 0 });
    close(recent.instances.avgMs, 3 * 24 * HOUR + MIN);
  });

  it('answers 404 for an unknown process or version, 400 naming a bad parameter, 403 for non-admins', async () => {
    const admin = h.as.admin!;
    let r = await admin.get('/api/v1/processes/no-such-process/stats');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    r = await admin.get('/api/v1/processes/stats-review/stats?version=7');
    expect(r.status).toBe(404);
    expect(r.body.error.path).toBe('/version');
    for (const [query, path] of [
      ['version=abc', '/version'],
      ['version=0', '/version'],
      ['bucket=week', '/bucket'],
      ['from=yesterday', '/from'],
      ['to=2020-13-01T00:00:00Z', '/to'],
      ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', '/to'],
      ['from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=hour', '/bucket'],
      ['colour=red', '/colour'],
    ] as const) {
      r = await admin.get(`/api/v1/processes/stats-review/stats?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error.path, query).toBe(path);
    }
    r = await h.as.alice!.get('/api/v1/processes/stats-review/stats');
    expect(r.status).toBe(403);
  });
});
