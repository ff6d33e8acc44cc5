/**
 * Process tickets through the REST API, scenario by scenario (given a deployed process, when a
 * ticket runs through it, then the ticket, its history and the process view say so). The process
 * fixtures are in test/engine-server/processes.ts. Script jobs are run by a worker the test drains.
 * Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { historyLines } from './support/tickets';
import * as P from './engine-server/processes';

describe.each(databaseKinds)('process tickets on %s', (kind) => {
  let h: EngineHelpdesk;
  const as = (who: string) => h.as[who]!;

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    // Scripts are references too: the library entry must exist before a process calling it deploys.
    const script = await as('admin').post('/api/v1/scripts', { name: 'count-days', source: 'export default ({ params }) => ({ vars: { total: params.days + params.extra } })' });
    expect(script.status, JSON.stringify(script.body)).toBe(201);
    // So are web services (every-action's ExecuteInvoker); loopback without an allow-list: refused, never called.
    const crm = await as('admin').post('/api/v1/outbound-services', { name: 'Crm', baseUrl: 'http://127.0.0.1:9', operations: { Notify: { method: 'POST', path: '/notify', body: '{{params}}' } } });
    expect(crm.status, JSON.stringify(crm.body)).toBe(201);
    for (const p of [P.linear, P.choice, P.activity, P.parallel, P.customerOnly, P.chain, P.everyAction, P.badCondition, P.failingAction]) await deploy(h, p);
  });
  afterAll(() => h?.close());

  const view = async (ticketId: number, who = 'alice') => {
    const r = await as(who).get(`/api/v1/tickets/${ticketId}/process`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const submit = (ticketId: number, node: string, fields: Record<string, unknown>, who = 'alice') => as(who).post(`/api/v1/tickets/${ticketId}/dialogs/${node}`, { fields });
  const ticket = async (id: number) => (await as('admin').get(`/api/v1/tickets/${id}`)).body;

  it('runs a linear process: start dialog, two dialogs, completed, every step in the history and the log', async () => {
    // Given the linear process, when alice creates a process ticket with the start dialog's field
    const started = await processTicket(h, 'alice', 'linear', { title: 'New laptop' }, { DynamicField_Reason: 'old one broke' });
    // Then it waits at the first dialog, which offers its fields with labels, types and defaults
    expect(started).toMatchObject({ process: 'linear', version: 1, status: 'running', currentNodes: [{ nodeId: 'describe', name: 'Describe the request', wait: 'dialog' }] });
    const dialog = started.dialogs[0];
    expect(dialog).toMatchObject({ nodeId: 'describe', submitText: 'Continue', submitAdvice: 'Check the reason', requiredLock: false });
    expect(dialog.fields).toEqual([
      { field: 'Title', label: 'Title', type: 'text', display: 'shown', mandatory: false },
      { field: 'DynamicField_Reason', label: 'Reason', type: 'text', display: 'mandatory', mandatory: true, description: 'What is it about?' },
      expect.objectContaining({ field: 'Priority', type: 'priority', default: '3 normal', allowedValues: expect.arrayContaining([{ value: '5 very high', label: '5 very high' }]) }),
    ]);
    const id = started.ticketId;
    expect((await ticket(id)).dynamicFields).toMatchObject({ Reason: 'old one broke' });

    // When alice submits both dialogs
    const after1 = await submit(id, 'describe', { Title: 'New laptop for Ann', DynamicField_Reason: 'screen broke', Priority: '4 high' });
    expect(after1.status, JSON.stringify(after1.body)).toBe(200);
    expect(after1.body.currentNodes).toEqual([expect.objectContaining({ nodeId: 'note' })]);
    const beforeLast = Date.now();
    const after2 = await submit(id, 'note', { Article: { subject: 'Ordered', body: 'Ordered from the usual shop.' } });
    const afterLast = Date.now();
    expect(after2.status, JSON.stringify(after2.body)).toBe(200);

    // Then the process is completed, the ticket carries the values and the history tells the story
    expect(after2.body).toMatchObject({ status: 'completed', currentNodes: [], dialogs: [] });
    // Completed by the last submit: completedAt is its time.
    expect(Date.parse(after2.body.completedAt)).toBeGreaterThanOrEqual(beforeLast - 1000);
    expect(Date.parse(after2.body.completedAt)).toBeLessThanOrEqual(afterLast);
    expect(after2.body.path.map((p: any) => `${p.event}:${p.node ?? ''}`)).toEqual([
      'start:start', 'enter:start', 'leave:start', 'enter:describe', 'submit:describe', 'leave:describe', 'enter:note', 'submit:note', 'leave:note', 'enter:end', 'end:end', 'complete:end',
    ]);
    const t = await ticket(id);
    expect(t).toMatchObject({ title: 'New laptop for Ann', priority: { name: '4 high' }, dynamicFields: { Reason: 'screen broke' } });
    const lines = await historyLines(as('alice'), id);
    expect(lines).toContain('TitleUpdate title: New laptop → New laptop for Ann');
    expect(lines).toContain('TicketDynamicFieldUpdate DynamicField_Reason: old one broke → screen broke');
    const history = (await as('alice').get(`/api/v1/tickets/${id}/history?perPage=1000`)).body.items;
    const process = history.filter((x: any) => x.field === 'process').map((x: any) => x.message);
    expect(process).toContain('[linear] Dialog of "Describe the request" (describe) submitted by alice.');
    expect(process.at(-1)).toBe('[linear] Process "Linear" completed.');
    const articles = (await as('alice').get(`/api/v1/tickets/${id}/articles`)).body.items;
    expect(articles.map((a: any) => a.subject)).toContain('Ordered');
    const log = await as('alice').get(`/api/v1/process-instances/${started.instanceId}/log`);
    expect(log.status).toBe(200);
    expect(log.body.items.filter((x: any) => x.kind === 'submit').map((x: any) => x.actor)).toEqual(['alice', 'alice']);
    const inst = await as('alice').get(`/api/v1/process-instances/${started.instanceId}`);
    expect(inst.body).toMatchObject({ ticketId: id, status: 'completed' });
  });

  it('refuses a submit without a mandatory field (400 naming it, nothing changed) and a stale submit (409)', async () => {
    const { ticketId: id } = await processTicket(h, 'alice', 'linear', { title: 'Keep me' });
    const before = await historyLines(as('alice'), id);
    const missing = await submit(id, 'describe', { Title: 'Changed' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'FIELD_REQUIRED', path: '/fields/DynamicField_Reason' });
    expect((await ticket(id)).title).toBe('Keep me');
    expect(await historyLines(as('alice'), id)).toEqual(before);
    const invalid = await submit(id, 'describe', { DynamicField_Reason: 'x', Priority: 'urgent!!' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.path).toBe('/fields/Priority');

    expect((await submit(id, 'describe', { DynamicField_Reason: 'ok' })).status).toBe(200);
    const stale = await submit(id, 'describe', { DynamicField_Reason: 'again' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('TASK_NOT_OPEN');
    expect(stale.body.error.message).toMatch(/not open: it was completed already/);
    // A second process on the same ticket is refused too.
    expect((await as('alice').post(`/api/v1/tickets/${id}/process`, { process: 'choice' })).status).toBe(409);
  });

  it('takes an exclusive choice on a dynamic field, with the default when nothing matches', async () => {
    const yes = await processTicket(h, 'alice', 'choice');
    const r1 = await submit(yes.ticketId, 'review', { DynamicField_Approved: 'yes' });
    expect(r1.body).toMatchObject({ status: 'completed' });
    expect(r1.body.path.find((p: any) => p.event === 'leave' && p.node === 'decide')).toMatchObject({ transition: 'approved' });
    expect((await ticket(yes.ticketId)).state.name).toBe('closed successful');

    const no = await processTicket(h, 'alice', 'choice');
    expect((await view(no.ticketId)).dialogs[0].fields[0]).toMatchObject({ type: 'dropdown', allowedValues: expect.arrayContaining([{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }]) });
    const r2 = await submit(no.ticketId, 'review', {});
    expect(r2.body.path.find((p: any) => p.event === 'leave' && p.node === 'decide')).toMatchObject({ transition: 'otherwise', why: expect.stringMatching(/^default/) });
    expect((await ticket(no.ticketId)).queue.name).toBe('HR');
    const lines = await historyLines(as('alice'), no.ticketId);
    expect(lines).toContain('Move queue: Support → HR');
    // A value outside the dropdown is refused, naming the field.
    const bad = await processTicket(h, 'alice', 'choice');
    const r3 = await submit(bad.ticketId, 'review', { DynamicField_Approved: 'maybe' });
    expect(r3.status).toBe(400);
    expect(r3.body.error.path).toMatch(/^\/fields\/DynamicField_Approved/);
  });

  it('leaves an OTOBO-style activity by the first of three conditional transitions that holds', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ Priority: '5 very high', DynamicField_Category: 'hardware' }, 'urgent'],
      [{ Priority: '3 normal', DynamicField_Category: 'hardware' }, 'hardware'],
      [{ Priority: '3 normal', DynamicField_Category: 'other' }, 'other'],
    ];
    for (const [fields, target] of cases) {
      const s = await processTicket(h, 'alice', 'activity');
      const r = await submit(s.ticketId, 'classify', fields);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.currentNodes.map((n: any) => n.nodeId)).toEqual([target]);
    }
    // None holds: the token stays with a visible incident and the dialog stays open; a ticket change that makes one hold moves it on.
    const s = await processTicket(h, 'alice', 'activity');
    const r = await submit(s.ticketId, 'classify', { Priority: '3 normal', DynamicField_Category: 'unknown' });
    expect(r.body.status).toBe('incident');
    expect(r.body.incidents[0]).toMatchObject({ nodeId: 'classify', code: 'NO_TRANSITION' });
    expect(r.body.dialogs.map((d: any) => d.nodeId)).toEqual(['classify']);
    const patch = await as('alice').request('PATCH', `/api/v1/tickets/${s.ticketId}`, { dynamicFields: { Category: 'software' } });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    const moved = await view(s.ticketId);
    expect(moved.status).toBe('running');
    expect(moved.currentNodes.map((n: any) => n.nodeId)).toEqual(['other']);
  });

  it('forks and joins parallel branches', async () => {
    const s = await processTicket(h, 'alice', 'parallel');
    expect(s.currentNodes.map((n: any) => n.nodeId).sort()).toEqual(['finance', 'legal']);
    expect(s.dialogs).toHaveLength(2);
    const r1 = await submit(s.ticketId, 'legal', { DynamicField_LegalOk: true });
    expect(r1.body.currentNodes.map((n: any) => `${n.nodeId}:${n.wait}`).sort()).toEqual(['finance:dialog', 'join:join']);
    expect((await ticket(s.ticketId)).state.name).not.toBe('closed successful');
    const r2 = await submit(s.ticketId, 'finance', { DynamicField_FinanceOk: true });
    expect(r2.body.status).toBe('completed');
    expect((await ticket(s.ticketId)).state.name).toBe('closed successful');
  });

  it('offers a customer-only dialog to the customer and refuses it to agents; a RequiredLock dialog locks the ticket', async () => {
    const s = await processTicket(h, 'alice', 'customer-feedback', { customerUser: 'carl' });
    expect(s.dialogs).toEqual([]); // alice may not answer it
    const refused = await submit(s.ticketId, 'feedback', { DynamicField_Rating: 5 });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('INTERFACE_NOT_ALLOWED');
    const mine = await view(s.ticketId, 'carl');
    expect(mine.dialogs.map((d: any) => d.nodeId)).toEqual(['feedback']);
    const answered = await submit(s.ticketId, 'feedback', { DynamicField_Rating: 5, Article: { subject: 'Thanks', body: 'All good.' } }, 'carl');
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.dialogs).toEqual([]); // the next dialog is the agents'
    expect((await ticket(s.ticketId)).dynamicFields.Rating).toBe(5);
    const rows = await h.srv.database.db.selectFrom('ticket_history').select(['type', 'actor_kind', 'field']).where('ticket_id', '=', s.ticketId).where('field', '=', 'DynamicField_Rating').execute();
    expect(rows).toEqual([{ type: 'TicketDynamicFieldUpdate', actor_kind: 'customer', field: 'DynamicField_Rating' }]);
    // The customer cannot answer the agents' dialog.
    expect((await submit(s.ticketId, 'followUp', {}, 'carl')).status).toBe(403);
    const follow = await submit(s.ticketId, 'followUp', { Title: 'Feedback received' }, 'bob');
    expect(follow.status, JSON.stringify(follow.body)).toBe(200);
    const t = await ticket(s.ticketId);
    expect(t).toMatchObject({ locked: true, owner: { login: 'bob' } });
  });

  it('chains two scripts and a gateway after one submit', async () => {
    const s = await processTicket(h, 'alice', 'chain');
    const r = await submit(s.ticketId, 'request', { DynamicField_Days: 7 });
    expect(r.body.currentNodes).toEqual([expect.objectContaining({ nodeId: 'count', wait: 'script' })]);
    // The two script jobs (notification mails queued by earlier tests run in the same drain; the
    // instance's own jobs are checked below).
    expect(await h.worker.drain()).toBeGreaterThanOrEqual(2);
    const v = await view(s.ticketId);
    expect(v.currentNodes.map((n: any) => n.nodeId)).toEqual(['approve']);
    expect((await ticket(s.ticketId)).dynamicFields.Category).toBe('long');
    const scripts = v.path.filter((p: any) => p.event === 'script').map((p: any) => p.node);
    expect(scripts).toEqual(['count', 'classify']);
    expect(v.path.find((p: any) => p.event === 'leave' && p.node === 'decide')).toMatchObject({ transition: 'long' });
    const jobs = await h.srv.database.db.selectFrom('jobs').select(['status', 'attempts']).where('instance_id', '=', s.instanceId).execute();
    expect(jobs).toEqual([{ status: 'done', attempts: 1 }, { status: 'done', attempts: 1 }]);
    // Short requests end right after the scripts.
    const s2 = await processTicket(h, 'alice', 'chain');
    await submit(s2.ticketId, 'request', { DynamicField_Days: 1 });
    await h.worker.drain();
    expect((await view(s2.ticketId)).status).toBe('completed');
  });

  it('applies every action type to the ticket, with history', async () => {
    const s = await processTicket(h, 'alice', 'every-action', { title: 'Printer', customerUser: 'carl' });
    const before = Date.now();
    const r = await submit(s.ticketId, 'go', {});
    const after = Date.now();
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.incidents).toEqual([]);
    expect(r.body.status).toBe('completed');
    const t = await ticket(s.ticketId);
    expect(t).toMatchObject({
      title: 'Handled: Printer', queue: { name: 'HR' }, priority: { name: '4 high' }, type: { name: 'Incident' }, owner: { login: 'bob' },
      responsible: { login: 'alice' }, locked: true, customerUser: { login: 'carl' }, service: { name: 'Email' }, sla: { name: 'Gold' },
      state: { name: 'pending reminder' }, dynamicFields: { Reason: 'by bob' },
    });
    // pendingTimeDiff 3600: pending until an hour after the submit (stored to the second).
    const until = Date.parse(t.pendingUntil);
    expect(until).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    expect(until).toBeLessThanOrEqual(after + 3_600_000);
    const lines = await historyLines(as('admin'), s.ticketId);
    for (const l of ['TitleUpdate title: Printer → Handled: Printer', 'Move queue: Support → HR', 'PriorityUpdate priority: 3 normal → 4 high', 'OwnerUpdate owner: alice → bob', 'Lock lock: unlock → lock', 'StateUpdate state: new → pending reminder']) {
      expect(lines).toContain(l);
    }
    const history = (await as('admin').get(`/api/v1/tickets/${s.ticketId}/history?perPage=1000`)).body.items;
    expect(history.find((x: any) => x.field === 'SendEmail').message).toMatch(/carl@customer\.test/);
    expect(history.find((x: any) => x.field === 'ExecuteInvoker').message).toMatch(/Crm\/Notify/);
    const articles = (await as('admin').get(`/api/v1/tickets/${s.ticketId}/articles`)).body.items;
    expect(articles.map((a: any) => a.bodyText)).toContain('Queue is now HR');
    const links = (await as('admin').get(`/api/v1/tickets/${s.ticketId}/links`)).body;
    expect(JSON.stringify(links)).toContain(`Child of ${t.number}`.slice(0, 5));
  });

  it('makes a condition that cannot be evaluated an incident visible through the API', async () => {
    const s = await processTicket(h, 'alice', 'bad-condition');
    const r = await submit(s.ticketId, 'ask', {});
    expect(r.status).toBe(200);
    const v = await view(s.ticketId);
    expect(v.status).toBe('incident');
    expect(v.incidents).toEqual([expect.objectContaining({ nodeId: 'decide', code: 'CONDITION_ERROR', message: expect.stringMatching(/deeper|undefined/) })]);
  });

  it('rolls back a step whose action fails and raises an incident with the action message', async () => {
    const s = await processTicket(h, 'alice', 'failing-action', { title: 'Move me', dynamicFields: { Target: 'Nowhere' } });
    const r = await submit(s.ticketId, 'ask', { Title: 'Renamed' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('incident');
    expect(r.body.incidents[0]).toMatchObject({ nodeId: 'ask', code: 'ACTION_FAILED', message: expect.stringMatching(/TicketQueueSet.*Nowhere/) });
    const t = await ticket(s.ticketId);
    expect(t).toMatchObject({ title: 'Move me', queue: { name: 'Support' }, priority: { name: '3 normal' } });
    expect(r.body.dialogs.map((d: any) => d.nodeId)).toEqual(['ask']);
  });

  it('starts a process on an existing ticket, once', async () => {
    const t = await as('alice').post('/api/v1/tickets', { title: 'Plain', queue: 'Support', article: { body: 'x' } });
    expect((await as('alice').get(`/api/v1/tickets/${t.body.id}/process`)).status).toBe(404);
    expect((await as('reader').post(`/api/v1/tickets/${t.body.id}/process`, { process: 'choice' })).status).toBe(403);
    const started = await as('alice').post(`/api/v1/tickets/${t.body.id}/process`, { process: 'choice' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toMatchObject({ ticketId: t.body.id, process: 'choice', status: 'running', dialogs: [expect.objectContaining({ nodeId: 'review' })] });
    const again = await as('alice').post(`/api/v1/tickets/${t.body.id}/process`, { process: 'linear' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PROCESS_ALREADY_STARTED');
  });

  it('fills in the start dialog when a process starts on an existing ticket', async () => {
    const t = await as('alice').post('/api/v1/tickets', { title: 'Plain two', queue: 'Support', article: { body: 'x' } });
    const unknown = await as('alice').post(`/api/v1/tickets/${t.body.id}/process`, { process: 'linear', fields: { DynamicField_Days: 3 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_FIELD', path: '/fields/DynamicField_Days' });
    const noDialog = await as('alice').post(`/api/v1/tickets/${t.body.id}/process`, { process: 'choice', fields: { Title: 'x' } });
    expect(noDialog.status).toBe(400);
    expect(noDialog.body.error.path).toBe('/fields/Title');
    expect((await as('alice').get(`/api/v1/tickets/${t.body.id}/process`)).status).toBe(404); // nothing started

    const started = await as('alice').post(`/api/v1/tickets/${t.body.id}/process`, { process: 'linear', fields: { DynamicField_Reason: 'asked on the phone' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect((await ticket(t.body.id)).dynamicFields).toMatchObject({ Reason: 'asked on the phone' });
  });

  it('checks permissions: readers see the process but cannot start or submit; only active versions start', async () => {
    const s = await processTicket(h, 'alice', 'linear');
    expect((await as('reader').get(`/api/v1/tickets/${s.ticketId}/process`)).status).toBe(200);
    expect((await submit(s.ticketId, 'describe', { DynamicField_Reason: 'x' }, 'reader')).status).toBe(403);
    expect((await as('carl').get(`/api/v1/tickets/${s.ticketId}/process`)).status).toBe(404);
    const unknown = await as('alice').post('/api/v1/process-tickets', { process: 'nope', ticket: { title: 'x', queue: 'Support', article: { body: 'x' } } });
    expect(unknown.status).toBe(400);
    expect(await as('admin').request('PATCH', '/api/v1/processes/choice/versions/1', { state: 'inactive' }).then((x) => x.status)).toBe(200);
    const inactive = await as('alice').post('/api/v1/process-tickets', { process: 'choice', ticket: { title: 'x', queue: 'Support', article: { body: 'x' } } });
    expect(inactive.status).toBe(409);
    expect(inactive.body.error.code).toBe('PROCESS_NOT_ACTIVE');
    await as('admin').request('PATCH', '/api/v1/processes/choice/versions/1', { state: 'active' });
  });

  it('tells an agent whose start dialog asks no queue to send ticket.queue, and an explicit ticket.title wins over a hidden default', async () => {
    // Given a process whose start dialog gives the title as a hidden default and asks no queue
    const hiddenTitle: typeof P.linear = {
      ...P.linear,
      key: 'hidden-title',
      name: 'Hidden title',
      start: { interfaces: ['agent'], dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'hidden', default: 'Default title' }, { field: 'DynamicField_Reason', display: 'shown' }] } },
    };
    await deploy(h, hiddenTitle);
    // When an agent starts it with the start dialog only, the answer says where the queue goes
    const noQueue = await as('alice').post('/api/v1/process-tickets', { process: 'hidden-title', fields: { DynamicField_Reason: 'x' } });
    expect(noQueue.status).toBe(400);
    expect(noQueue.body.error).toMatchObject({ code: 'MISSING_REFERENCE', path: '/ticket/queue' });
    expect(noQueue.body.error.message).toMatch(/"ticket": \{"title", "queue", "article"\}/);
    // When the agent sends the ticket with a title of its own, that title stays
    const started = await processTicket(h, 'alice', 'hidden-title', { title: 'My own title' }, { DynamicField_Reason: 'x' });
    expect((await ticket(started.ticketId)).title).toBe('My own title');
  });
});
