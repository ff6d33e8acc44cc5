/**
 * Notifications (issue 16): each ticket event reaches the right people — owner, responsible,
 * watchers, agents with the queue in *My queues*, the process dialog's assignees, the customer in
 * the portal — never the agent who caused it nor an agent who may not read the queue; the agents'
 * preferences choose mail and/or web; mail goes out as queued `mail` jobs with the rendered
 * template; web notifications list, count, mark read and arrive live over SSE. Admins edit the
 * templates. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { closeLive } from '../server/live/hub';
import type { MailJobPayload } from '../server/mail/queue';
import { TEST_DATABASE_URL, databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { newTicket, startHelpdesk, type Helpdesk } from './support/tickets';
import { openEventStream } from './support/events';

describe.each(databaseKinds)('notifications on %s', (kind) => {
  let h: Helpdesk;
  const as = (who: string) => h.as[who]!;

  /** Notification mails queued so far (jobs of kind `mail`), as { to, subject, text, ticketId }. */
  const mails = async (ticketId?: number) => {
    const rows = await h.srv.database.db.selectFrom('jobs').select(['payload', 'id']).where('kind', '=', 'mail').orderBy('id').execute();
    return rows
      .map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as MailJobPayload)
      .filter((m) => m.purpose === 'notification' && (ticketId === undefined || m.ticketId === ticketId));
  };
  const mailedTo = async (ticketId: number) => (await mails(ticketId)).flatMap((m) => m.to).map((to) => /<([^>]+)>/.exec(to)?.[1] ?? to).sort();
  /** The caller's web notifications about a ticket: their events. */
  const web = async (who: string, ticketId?: number) => {
    const r = await as(who).get('/api/v1/notifications?limit=200');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.items as any[]).filter((n) => ticketId === undefined || n.ticketId === ticketId);
  };
  const webEvents = async (who: string, ticketId: number) => (await web(who, ticketId)).map((n) => n.event).sort();
  const setPrefs = async (who: string, prefs: Record<string, unknown>) => expect((await as(who).put('/api/v1/me/preferences', prefs)).status).toBe(200);

  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales', Secret: 'secret' },
      agents: {
        boss: { sales: ['rw'], secret: ['rw'] },
        seller: { sales: ['rw'] },
        helper: { sales: ['rw'] },
        quiet: { sales: ['rw'] },
        outsider: { secret: ['rw'] },
      },
      customers: { kim: 'kim-co' },
    });
    if (kind === 'postgres') h.srv.services.config.databaseUrl = TEST_DATABASE_URL;
    const { Sales, Secret } = h.queues as Record<string, number>;
    await setPrefs('boss', { myQueues: [Sales, Secret] });
    await setPrefs('seller', { myQueues: [Sales] });
    await setPrefs('helper', { myQueues: [Sales] });
    // quiet wants the bell only, and no new-ticket notifications at all.
    await setPrefs('quiet', { myQueues: [Sales], notificationChannels: { email: false, web: true }, notifications: { newTicket: false } });
    await setPrefs('outsider', { myQueues: [Secret], notifications: { move: true } });
    // An agent who once had Sales in My queues but may not read it (rights taken away since).
    await h.srv.database.db
      .insertInto('agent_preferences')
      .values({ agent_id: h.agents.outsider!, key: 'myQueues', value: JSON.stringify([Sales, Secret]), updated_at: new Date() })
      .onConflict((oc) => oc.columns(['agent_id', 'key']).doUpdateSet({ value: JSON.stringify([Sales, Secret]) }))
      .execute();
  }, 120_000);
  afterAll(async () => {
    await closeLive(h.srv.services);
    await h?.close();
  });

  it('tells the My-queues agents of a new ticket by mail and in the bell — not its creator, not an agent who may not read the queue', async () => {
    const t = await newTicket(as('boss'), { title: 'Printer on fire', queue: 'Sales', customerUser: 'kim', article: { channel: 'phone', senderType: 'customer', body: 'It smokes badly.' } });
    expect(await mailedTo(t.id)).toEqual(['helper@example.test', 'seller@example.test']);
    const m = (await mails(t.id)).find((x) => x.to[0]!.includes('seller@'))!;
    expect(m.subject).toBe(`New ticket [${t.number}] Printer on fire`);
    expect(m.text).toContain('Hi seller,');
    expect(m.text).toContain('Customer: kim Customer');
    expect(m.text).toContain('It smokes badly.');
    expect(m.auto).toBe(true);
    expect(m.messageId).toMatch(/^<.+@.+>$/);

    expect(await webEvents('seller', t.id)).toEqual(['ticketCreated']);
    expect(await webEvents('quiet', t.id)).toEqual([]); // newTicket switched off
    expect(await webEvents('boss', t.id)).toEqual([]); // the creator
    expect(await webEvents('outsider', t.id)).toEqual([]); // may not read Sales
    // The customer sees it in the portal (an agent opened it for them).
    const kims = await web('kim', t.id);
    expect(kims.map((n) => n.title)).toEqual([`Your request [${t.number}] Printer on fire was received`]);
  });

  it('sends a follow-up to the lock owner of a locked ticket, and to the queue when unlocked', async () => {
    const t = await newTicket(as('boss'), { title: 'Invoice wrong', queue: 'Sales', customerUser: 'kim' });
    expect((await as('seller').post(`/api/v1/tickets/${t.id}/lock`)).status).toBe(200);
    const before = await mailedTo(t.id);
    const reply = await as('kim').post(`/api/v1/tickets/${t.id}/articles`, { subject: 'Still wrong', body: 'The amount is still wrong.' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const after = (await mails(t.id)).slice(before.length);
    expect(after.map((m) => m.to[0])).toEqual(['"seller Tester" <seller@example.test>']);
    expect(after[0]!.subject).toBe(`Follow-up [${t.number}] Invoice wrong`);
    expect(after[0]!.text).toContain('The amount is still wrong.');
    expect(await webEvents('kim', t.id)).not.toContain('followUp'); // the customer wrote it

    expect((await as('seller').request('DELETE', `/api/v1/tickets/${t.id}/lock`)).status).toBe(200);
    const n = (await mails(t.id)).length;
    expect((await as('kim').post(`/api/v1/tickets/${t.id}/articles`, { body: 'Anyone there?' })).status).toBe(201);
    const unlocked = (await mails(t.id)).slice(n).map((m) => /<([^>]+)>/.exec(m.to[0]!)![1]).sort();
    expect(unlocked).toEqual(['boss@example.test', 'helper@example.test', 'seller@example.test']);
    expect((await web('quiet', t.id)).map((x) => x.event)).toEqual(['followUp']); // web only, no mail for quiet
  });

  it('tells the new owner and the new responsible, not the agent who made the change', async () => {
    const t = await newTicket(as('boss'), { title: 'Contract renewal', queue: 'Sales' });
    const patched = await as('boss').patch(`/api/v1/tickets/${t.id}`, { owner: 'seller', responsible: 'helper' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await webEvents('seller', t.id)).toEqual(['ownerChanged', 'ticketCreated']);
    expect(await webEvents('helper', t.id)).toEqual(['responsibleChanged', 'ticketCreated']);
    const owner = (await mails(t.id)).find((m) => m.subject.startsWith('You own'))!;
    expect(owner.to).toEqual(['"seller Tester" <seller@example.test>']);
    expect(owner.text).toContain('boss Tester made you the owner');

    // Taking a ticket yourself (helper makes herself owner): nobody to tell.
    const n = (await mails(t.id)).length;
    expect((await as('helper').patch(`/api/v1/tickets/${t.id}`, { owner: 'helper' })).status).toBe(200);
    expect((await mails(t.id)).slice(n).map((m) => m.subject)).toEqual([]);
  });

  it('tells owner, responsible and watchers of a new note', async () => {
    const t = await newTicket(as('seller'), { title: 'Trade fair', queue: 'Sales', responsible: 'quiet' });
    expect((await as('helper').post(`/api/v1/tickets/${t.id}/watch`)).status).toBe(204);
    expect((await as('boss').post(`/api/v1/tickets/${t.id}/articles`, { channel: 'note', subject: 'Booth booked', body: 'Booth 12 is ours.' })).status).toBe(201);
    expect(await webEvents('seller', t.id)).toEqual(['noteAdded']); // owner (her own new ticket told her nothing)
    expect(await webEvents('helper', t.id)).toContain('noteAdded'); // watcher
    expect(await webEvents('quiet', t.id)).toEqual(['noteAdded']); // responsible, web only
    const note = (await mails(t.id)).filter((m) => m.subject.includes('New note'));
    expect(note.map((m) => m.subject)).toEqual([`New note [${t.number}] Booth booked`, `New note [${t.number}] Booth booked`]);
    // An internal note never reaches the customer.
    expect(await web('kim', t.id)).toEqual([]);

    // A watcher who switched watched tickets off hears nothing as a watcher.
    await setPrefs('helper', { notifications: { watchedTickets: false } });
    const n = (await web('helper', t.id)).length;
    expect((await as('boss').post(`/api/v1/tickets/${t.id}/articles`, { channel: 'note', body: 'Second note' })).status).toBe(201);
    expect((await web('helper', t.id)).length).toBe(n);
    await setPrefs('helper', { notifications: null });
  });

  it('tells the agents of the target queue of a move, and never those who cannot read it', async () => {
    const t = await newTicket(as('boss'), { title: 'Move me', queue: 'Sales' });
    expect((await as('seller').post(`/api/v1/tickets/${t.id}/watch`)).status).toBe(204);
    expect((await as('boss').patch(`/api/v1/tickets/${t.id}`, { queue: 'Secret' })).status).toBe(200);
    expect(await webEvents('outsider', t.id)).toEqual(['moved']);
    const moved = (await mails(t.id)).find((m) => m.subject.startsWith('Moved'))!;
    expect(moved.subject).toBe(`Moved [${t.number}] Move me into Secret`);
    expect(moved.text).toContain('from Sales into Secret');
    // seller watches it but cannot read Secret.
    expect((await mails(t.id)).filter((m) => m.subject.startsWith('Moved')).flatMap((m) => m.to)).toEqual(['"outsider Tester" <outsider@example.test>']);
    expect((await as('seller').get('/api/v1/notifications?limit=200')).body.items.filter((n: any) => n.ticketId === t.id && n.event === 'moved')).toEqual([]);
  });

  it("gives the customer a web notification of an agent's answer and of a state change, and mails nothing more", async () => {
    const t = await newTicket(as('boss'), { title: 'Delivery date', queue: 'Sales', customerUser: 'kim' });
    const mailsBefore = (await mails(t.id)).length;
    const answer = await as('boss').post(`/api/v1/tickets/${t.id}/articles`, { channel: 'email', subject: 'Re: Delivery date', body: 'It ships on Monday.', to: 'kim@customer.test' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect((await as('boss').patch(`/api/v1/tickets/${t.id}`, { state: 'closed successful' })).status).toBe(200);
    const kims = await web('kim', t.id);
    expect(kims.map((n) => n.event)).toEqual(['stateChanged', 'agentReply', 'ticketCreated']);
    expect(kims[1].body).toBe('It ships on Monday.');
    expect(kims[0].title).toBe(`[${t.number}] Delivery date is now closed successful`);
    // No notification mail to the customer (the answer itself is the mail).
    expect((await mails(t.id)).slice(mailsBefore).flatMap((m) => m.to).filter((to) => to.includes('kim@'))).toEqual([]);
  });

  it('lists, counts and marks read the caller’s own notifications only', async () => {
    await newTicket(as('boss'), { title: 'Count me', queue: 'Sales' });
    const list = await as('helper').get('/api/v1/notifications?limit=2');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.unread).toBeGreaterThanOrEqual(2);
    const [first, second] = list.body.items;
    expect(first.id).toBeGreaterThan(second.id);
    expect(first).toEqual(expect.objectContaining({ event: 'ticketCreated', read: false, ticketNumber: expect.any(String), title: expect.stringContaining('Count me') }));

    expect((await as('seller').post(`/api/v1/notifications/${first.id}/read`)).status).toBe(404); // not seller's
    expect((await as('helper').post(`/api/v1/notifications/${first.id}/read`)).status).toBe(204);
    const after = await as('helper').get('/api/v1/notifications?limit=2');
    expect(after.body.unread).toBe(list.body.unread - 1);
    expect(after.body.items[0]).toEqual(expect.objectContaining({ id: first.id, read: true }));
    const page2 = await as('helper').get(`/api/v1/notifications?limit=1&before=${first.id}`);
    expect(page2.body.items[0].id).toBe(second.id);
    expect((await as('helper').get('/api/v1/notifications?unread=true&limit=200')).body.items.every((n: any) => !n.read)).toBe(true);

    expect((await as('helper').post('/api/v1/notifications/read-all')).status).toBe(204);
    expect((await as('helper').get('/api/v1/notifications')).body.unread).toBe(0);
    expect((await as('seller').get('/api/v1/notifications')).body.unread).toBeGreaterThan(0);
    expect((await as('helper').get('/api/v1/notifications?limit=0')).status).toBe(400);
    expect((await fetch(`${h.srv.url}/api/v1/notifications`)).status).toBe(401);
  });

  it('delivers a new notification live over the event stream, to its recipient only', async () => {
    const seller = await openEventStream(h.srv.url, as('seller'));
    const kim = await openEventStream(h.srv.url, as('kim'));
    try {
      const t = await newTicket(as('boss'), { title: 'Live one', queue: 'Sales', customerUser: 'kim' });
      await expect.poll(() => seller.notifications().map((n) => n.ticketId)).toContain(t.id);
      expect(seller.notifications().find((n) => n.ticketId === t.id)).toEqual(expect.objectContaining({ event: 'ticketCreated', read: false, title: `New ticket [${t.number}] Live one` }));
      await expect.poll(() => kim.notifications().map((n) => n.ticketId)).toContain(t.id);
      expect(kim.notifications().every((n) => n.event === 'ticketCreated' && n.title.startsWith('Your request'))).toBe(true);
    } finally {
      seller.close();
      kim.close();
    }
  });

  it('lets administrators edit a template with OTRS tags and reset it; bad tags are refused', async () => {
    const list = await as('admin').get('/api/v1/notification-templates');
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: any) => t.key)).toEqual(expect.arrayContaining(['ticket-created', 'follow-up-locked', 'follow-up-unlocked', 'process-dialog', 'customer-agent-reply']));
    expect((await as('seller').get('/api/v1/notification-templates')).status).toBe(403);

    const put = await as('admin').put('/api/v1/notification-templates/ticket-created', {
      subject: '[Ticket#<OTRS_TICKET_TicketNumber>] <OTRS_TICKET_Title> for <OTRS_CUSTOMER_REALNAME>',
      body: 'Dear <OTRS_NOTIFICATION_RECIPIENT_UserFirstname>: {{ticket.priority}}',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.custom).toBe(true);
    const t = await newTicket(as('boss'), { title: 'Templated', queue: 'Sales', customerUser: 'kim' });
    const m = (await mails(t.id)).find((x) => x.to[0]!.includes('seller@'))!;
    expect(m.subject).toBe(`[Ticket#${t.number}] Templated for kim Customer`);
    expect(m.text).toBe('Dear seller: 3 normal');

    const bad = await as('admin').put('/api/v1/notification-templates/ticket-created', { subject: 'Hi <OTRS_TICKET_Colour>' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/subject');
    expect(bad.body.error.message).toContain('<OTRS_TICKET_Colour>');
    const badRef = await as('admin').put('/api/v1/notification-templates/ticket-created', { body: '{{ticket.colour}}' });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.path).toBe('/body');
    const leak = await as('admin').put('/api/v1/notification-templates/note-added', { recipients: ['owner', 'customer'] });
    expect(leak.status).toBe(400);
    expect(leak.body.error.path).toBe('/recipients/1');
    expect((await as('admin').put('/api/v1/notification-templates/no-such', { enabled: false })).status).toBe(404);

    const reset = await as('admin').delete('/api/v1/notification-templates/ticket-created');
    expect(reset.status).toBe(200);
    expect(reset.body.custom).toBe(false);
    expect(reset.body.subject).toBe('New ticket [<OTRS_TICKET_TicketNumber>] {{ticket.title}}');

    // Switched off: nobody hears of new tickets.
    expect((await as('admin').put('/api/v1/notification-templates/ticket-created', { enabled: false })).status).toBe(200);
    const quiet = await newTicket(as('boss'), { title: 'Unheard', queue: 'Sales' });
    expect(await mails(quiet.id)).toEqual([]);
    expect((await as('admin').delete('/api/v1/notification-templates/ticket-created')).status).toBe(200);
  });
});

/** start → a user task assigned per `assign` → end. */
const oneTask = (key: string, assign: { agent?: string; role?: string; queue?: string }): Process => ({
  format: 'process/1',
  key,
  name: key,
  start: { interfaces: ['agent'] },
  nodes: [
    { id: 'start', type: 'startEvent' },
    { id: 'approve', name: 'Approve the order', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] }, assign },
    { id: 'end', type: 'endEvent' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'approve' },
    { id: 't2', from: 'approve', to: 'end' },
  ],
});

describe.each(databaseKinds)('process and reminder notifications on %s', (kind) => {
  let h: EngineHelpdesk;
  const mailsTo = async (ticketId: number) => {
    const rows = await h.srv.database.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail').orderBy('id').execute();
    return rows.map((r) => r.payload as MailJobPayload).filter((m) => m.purpose === 'notification' && m.ticketId === ticketId);
  };

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    await deploy(h, oneTask('notify-bob', { agent: 'bob' }));
  }, 120_000);
  afterAll(() => h?.close());

  it('tells the agent a process dialog is assigned to', async () => {
    const started = await processTicket(h, 'alice', 'notify-bob', { title: 'Order chairs' });
    const bobs = (await h.as.bob!.get('/api/v1/notifications?limit=200')).body.items.filter((n: any) => n.ticketId === started.ticketId);
    expect(bobs.map((n: any) => n.event)).toEqual(['processDialog']);
    expect(bobs[0].title).toContain('Dialog "Approve the order" waits for you');
    expect((await mailsTo(started.ticketId)).filter((m) => m.subject.includes('Approve the order')).map((m) => m.to)).toEqual([['"bob Tester" <bob@example.test>']]);
    expect((await h.as.alice!.get('/api/v1/notifications?limit=200')).body.items.filter((n: any) => n.event === 'processDialog')).toEqual([]);
  });

  it('reminds the owner when the pending time of a locked ticket is reached, unless it changed', async () => {
    const t = await newTicket(h.as.alice!, { title: 'Call back', queue: 'Support', lock: true });
    const past = new Date(Date.now() - 60_000).toISOString();
    const set = await h.as.bob!.patch(`/api/v1/tickets/${t.id}`, { state: 'pending reminder', pendingUntil: past });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const jobs = await h.srv.database.db.selectFrom('jobs').select(['kind', 'payload']).where('kind', '=', 'pending-reminder').execute();
    expect(jobs.map((j) => (j.payload as { ticketId: number }).ticketId)).toContain(t.id);
    await h.worker.drain();
    const alices = (await h.as.alice!.get('/api/v1/notifications?limit=200')).body.items.filter((n: any) => n.ticketId === t.id);
    expect(alices.map((n: any) => n.event)).toEqual(['pendingReminder']);
    expect((await mailsTo(t.id)).map((m) => m.subject)).toEqual([`Reminder [${t.number}] Call back`]);

    // A reminder whose ticket left the pending state (or got another time) finds nothing to do.
    const t2 = await newTicket(h.as.alice!, { title: 'Call back later', queue: 'Support', lock: true });
    expect((await h.as.bob!.patch(`/api/v1/tickets/${t2.id}`, { state: 'pending reminder', pendingUntil: past })).status).toBe(200);
    expect((await h.as.bob!.patch(`/api/v1/tickets/${t2.id}`, { state: 'open' })).status).toBe(200);
    await h.worker.drain();
    expect((await mailsTo(t2.id)).filter((m) => m.subject.startsWith('Reminder'))).toEqual([]);
  });

  it("unlocks a ticket whose lock ran out in a queue with an unlock timeout, and tells its owner", async () => {
    const db = h.srv.database.db;
    const support = h.queues.Support!;
    const q = await h.as.admin!.patch(`/api/v1/queues/${support}`, { unlockTimeout: 30 });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    expect(q.body.unlockTimeout).toBe(30);
    const stale = await newTicket(h.as.alice!, { title: 'Forgotten', queue: 'Support' });
    const busy = await newTicket(h.as.alice!, { title: 'Worked on', queue: 'Support' });
    for (const t of [stale, busy]) expect((await h.as.bob!.post(`/api/v1/tickets/${t.id}/lock`)).status).toBe(200);
    const jobs = await db.selectFrom('jobs').select(['id', 'payload', 'run_at']).where('kind', '=', 'lock-timeout').execute();
    expect(jobs.map((j) => (j.payload as { ticketId: number }).ticketId).sort()).toEqual([stale.id, busy.id].sort());
    // Half an hour passes: nobody touched `stale`; `busy` was changed a minute ago.
    const ago = (min: number) => new Date(Date.now() - min * 60_000);
    await db.updateTable('tickets').set({ changed_at: ago(31) }).where('id', '=', stale.id).execute();
    await db.updateTable('tickets').set({ changed_at: ago(1) }).where('id', '=', busy.id).execute();
    await db.updateTable('jobs').set({ run_at: ago(0.1) }).where('kind', '=', 'lock-timeout').execute();
    await h.worker.drain();

    expect((await h.as.bob!.get(`/api/v1/tickets/${stale.id}`)).body.locked).toBe(false);
    expect((await h.as.bob!.get(`/api/v1/tickets/${busy.id}`)).body.locked).toBe(true);
    const bobs = (await h.as.bob!.get('/api/v1/notifications?limit=200')).body.items.filter((n: any) => n.event === 'lockTimeout');
    expect(bobs.map((n: any) => n.ticketId)).toEqual([stale.id]);
    expect((await mailsTo(stale.id)).filter((m) => m.subject.startsWith('Lock timeout')).map((m) => m.to)).toEqual([['"bob Tester" <bob@example.test>']]);
    // `busy` waits again, counted from its last change.
    const again = await db.selectFrom('jobs').select(['run_at', 'status']).where('kind', '=', 'lock-timeout').where('status', '=', 'ready').execute();
    expect(again).toHaveLength(1);
    expect(again[0]!.run_at.getTime()).toBeGreaterThan(Date.now());
  });
});
