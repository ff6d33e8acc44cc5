/**
 * Service tasks and ExecuteInvoker end to end: deployed processes call a real HTTP server on
 * 127.0.0.1 (allow-listed) through service jobs run by the worker (`drain()`, the clock moved for
 * retries, no sleeps). The answer lands in variables and dynamic fields; an HTTP 404 is caught by a
 * boundary error event; a 503 is retried with the same Idempotency-Key; a call that keeps failing
 * becomes a SERVICE_ERROR incident; ExecuteInvoker calls happen only when their step commits and
 * record their outcome in the ticket history. Runs on PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { engineFor } from '../server/engine/engine';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { startRemote, type Remote } from './support/remote';

const base = (key: string): Pick<Process, 'format' | 'key' | 'name' | 'start'> => ({ format: 'process/1', key, name: key, start: { interfaces: ['agent'] } });
const review: Process['nodes'][number] = { id: 'review', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } };

/** start → call hr/lookup (login from the ticket title) → review; a 404 goes to `manual` through a boundary error. */
const lookup = (key: string, retries?: number): Process => ({
  ...base(key),
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'call', type: 'serviceTask', name: 'Look up', service: { webservice: 'hr', operation: 'lookup' }, params: { login: '{{ticket.title}}' }, ...(retries !== undefined ? { retries } : {}) },
    { id: 'notFound', type: 'boundaryError', attachedTo: 'call', errorCode: 'HTTP_404' },
    review,
    { id: 'manual', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'call' },
    { id: 't2', from: 'call', to: 'review' },
    { id: 't3', from: 'notFound', to: 'manual' },
    { id: 't4', from: 'review', to: 'end' },
    { id: 't5', from: 'manual', to: 'end' },
  ],
});

/** start → go (user task); leaving it fires ExecuteInvoker hr/lookup (and, in `broken`, an action that fails). */
const invoker = (key: string, broken = false): Process => ({
  ...base(key),
  nodes: [{ id: 'start', type: 'startEvent' }, { id: 'go', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } }, { id: 'end', type: 'endEvent' }],
  transitions: [
    { id: 't1', from: 'start', to: 'go' },
    {
      id: 't2', from: 'go', to: 'end',
      actions: [
        { type: 'ExecuteInvoker', webservice: 'hr', operation: 'lookup', params: { login: '{{ticket.title}}' } },
        // A queue named by a template is not created on deploy; an empty one fails the action.
        ...(broken ? [{ type: 'TicketQueueSet' as const, queue: '{{ticket.dynamicFields.Target}}' }] : []),
      ],
    },
  ],
});

describe.each(databaseKinds)('service tasks on %s', (kind) => {
  let h: EngineHelpdesk;
  let remote: Remote;

  beforeAll(async () => {
    remote = await startRemote();
    h = await startEngineHelpdesk(kind);
    const svc = await h.as.admin!.post('/api/v1/outbound-services', {
      name: 'hr',
      baseUrl: `${remote.url}/hr`,
      allowList: ['127.0.0.1'],
      retries: 2,
      operations: { lookup: { method: 'GET', path: '/people/{{params.login}}', response: { vars: { tier: '/tier' }, dynamicFields: { Category: '/category' } } } },
    });
    expect(svc.status, JSON.stringify(svc.body)).toBe(201);
    for (const p of [lookup('lookup'), lookup('lookup-once', 0), invoker('invoke'), invoker('invoke-broken', true)]) await deploy(h, p);
    remote.on('/hr/people/carl', () => ({ json: { tier: 'gold', category: 'vip' } }));
    remote.on('/hr/people/ghost', () => ({ status: 404, json: { error: 'no such person' } }));
    remote.on('/hr/people/flaky', (_r, n) => (n === 1 ? { status: 503, text: 'busy' } : { json: { tier: 'silver', category: 'regular' } }));
    remote.on('/hr/people/down', () => ({ status: 503, text: 'down for maintenance' }));
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await remote?.close();
  });

  const view = async (ticketId: number) => (await h.as.alice!.get(`/api/v1/tickets/${ticketId}/process`)).body;
  const ticket = async (ticketId: number) => (await h.as.admin!.get(`/api/v1/tickets/${ticketId}`)).body;
  const calls = (login: string) => remote.seen.filter((s) => s.path === `/hr/people/${login}`);
  const jobs = (instanceId: number) => h.srv.database.db.selectFrom('jobs').select(['kind', 'status', 'attempts', 'max_attempts']).where('instance_id', '=', instanceId).where('kind', '=', 'service').execute();
  /** Lets every retry fall due (full jitter: at most base · 2^n, base 1 s) and runs the jobs. */
  const drainWithRetries = async () => {
    for (let i = 0; i < 5; i++) {
      await h.worker.drain();
      h.srv.advance(10 * 60_000);
    }
  };

  it('calls the service outside the step, then maps the answer into variables and dynamic fields', async () => {
    const s = await processTicket(h, 'alice', 'lookup', { title: 'carl' });
    expect((await view(s.ticketId)).currentNodes).toMatchObject([{ nodeId: 'call', wait: 'service' }]);
    expect(calls('carl')).toHaveLength(0);
    await h.worker.drain();
    const v = await view(s.ticketId);
    expect(v.currentNodes).toMatchObject([{ nodeId: 'review' }]);
    expect((await ticket(s.ticketId)).dynamicFields).toMatchObject({ Category: 'vip' });
    const inst = await h.srv.database.db.selectFrom('process_instances').select('state').where('id', '=', s.instanceId).executeTakeFirstOrThrow();
    const state = (typeof inst.state === 'string' ? JSON.parse(inst.state) : inst.state) as { vars: Record<string, unknown> };
    expect(state.vars).toMatchObject({ tier: 'gold' });
    expect(calls('carl')).toHaveLength(1);
    expect(calls('carl')[0]!.headers['idempotency-key']).toMatch(new RegExp(`^${s.instanceId}:[^:]+:r\\d+$`));
    expect(await jobs(s.instanceId)).toEqual([{ kind: 'service', status: 'done', attempts: 1, max_attempts: 3 }]);
  });

  it('lets a boundary error event catch HTTP 404, without retrying it', async () => {
    const s = await processTicket(h, 'alice', 'lookup', { title: 'ghost' });
    await drainWithRetries();
    const v = await view(s.ticketId);
    expect(v.currentNodes).toMatchObject([{ nodeId: 'manual' }]);
    expect(v.incidents).toEqual([]);
    expect(calls('ghost')).toHaveLength(1);
  });

  it('retries a 503 after a backoff with the same Idempotency-Key, then goes on', async () => {
    const s = await processTicket(h, 'alice', 'lookup', { title: 'flaky' });
    // (The first retry may fall due at once: full jitter picks any wait up to the backoff.)
    await drainWithRetries();
    const keys = calls('flaky').map((c) => c.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect((await view(s.ticketId)).currentNodes).toMatchObject([{ nodeId: 'review' }]);
    expect((await ticket(s.ticketId)).dynamicFields).toMatchObject({ Category: 'regular' });
    expect(await jobs(s.instanceId)).toEqual([{ kind: 'service', status: 'done', attempts: 2, max_attempts: 3 }]);
  });

  it('makes a call that keeps failing after its retries a SERVICE_ERROR incident', async () => {
    // The service's default: 2 retries, so 3 attempts.
    const s = await processTicket(h, 'alice', 'lookup', { title: 'down' });
    await drainWithRetries();
    expect(calls('down')).toHaveLength(3);
    const v = await view(s.ticketId);
    expect(v.status).toBe('incident');
    expect(v.incidents).toMatchObject([{ nodeId: 'call', code: 'SERVICE_ERROR', message: expect.stringContaining('HTTP_5XX') }]);
    expect(await jobs(s.instanceId)).toEqual([{ kind: 'service', status: 'done', attempts: 3, max_attempts: 3 }]);
    // The task's own `retries: 0`: one attempt.
    const once = await processTicket(h, 'alice', 'lookup-once', { title: 'down' });
    await drainWithRetries();
    expect(calls('down')).toHaveLength(4);
    expect((await view(once.ticketId)).incidents).toMatchObject([{ code: 'SERVICE_ERROR' }]);
    expect(await jobs(once.instanceId)).toEqual([{ kind: 'service', status: 'done', attempts: 1, max_attempts: 1 }]);
  });

  it('does not call for a task nobody waits for any more', async () => {
    const s = await processTicket(h, 'alice', 'lookup', { title: 'late' });
    await engineFor(h.srv.services).runner.applyEvent(s.instanceId, { type: 'cancel', by: 'admin' }, { by: { kind: 'system', id: null }, actor: 'admin' });
    await drainWithRetries();
    expect(calls('late')).toHaveLength(0);
    expect(await jobs(s.instanceId)).toEqual([{ kind: 'service', status: 'done', attempts: 1, max_attempts: 3 }]);
    expect((await view(s.ticketId)).status).toBe('cancelled');
  });

  it('runs an ExecuteInvoker action after its step commits: the answer sets dynamic fields, with history', async () => {
    const s = await processTicket(h, 'alice', 'invoke', { title: 'carl' });
    const r = await h.as.alice!.post(`/api/v1/tickets/${s.ticketId}/dialogs/go`, { fields: {} });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('completed');
    const before = calls('carl').length;
    await h.worker.drain();
    expect(calls('carl')).toHaveLength(before + 1);
    expect((await ticket(s.ticketId)).dynamicFields).toMatchObject({ Category: 'vip' });
    const history = (await h.as.admin!.get(`/api/v1/tickets/${s.ticketId}/history?perPage=1000`)).body.items.filter((x: any) => x.field === 'ExecuteInvoker').map((x: any) => x.message);
    expect(history).toEqual(expect.arrayContaining([expect.stringContaining('queued a call of web service hr/lookup'), expect.stringContaining('hr/lookup answered HTTP 200; set Category')]));
  });

  it('records a failed ExecuteInvoker call in the ticket history', async () => {
    const s = await processTicket(h, 'alice', 'invoke', { title: 'ghost' });
    await h.as.alice!.post(`/api/v1/tickets/${s.ticketId}/dialogs/go`, { fields: {} });
    await drainWithRetries();
    const history = (await h.as.admin!.get(`/api/v1/tickets/${s.ticketId}/history?perPage=1000`)).body.items.filter((x: any) => x.field === 'ExecuteInvoker').map((x: any) => x.message);
    expect(history).toEqual(expect.arrayContaining([expect.stringMatching(/hr\/lookup failed after 1 attempt\(s\): HTTP_404 \(HTTP 404\)/)]));
  });

  it('queues no ExecuteInvoker call when its step rolls back', async () => {
    const s = await processTicket(h, 'alice', 'invoke-broken', { title: 'carl' });
    const before = await h.srv.database.db.selectFrom('jobs').select('id').where('kind', '=', 'service').where('key', 'like', `invoker:${s.ticketId}:%`).execute();
    const r = await h.as.alice!.post(`/api/v1/tickets/${s.ticketId}/dialogs/go`, { fields: {} });
    expect(r.body.incidents).toMatchObject([{ code: 'ACTION_FAILED' }]);
    const after = await h.srv.database.db.selectFrom('jobs').select('id').where('kind', '=', 'service').where('key', 'like', `invoker:${s.ticketId}:%`).execute();
    expect(before).toEqual([]);
    expect(after).toEqual([]);
  });
});
