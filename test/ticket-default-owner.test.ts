/**
 * Every ticket has an owner, as in OTOBO (whose TicketCreate needs an OwnerID; customers' tickets
 * belong to user 1): an agent's new ticket is theirs, a ticket opened by a customer (portal, Generic
 * Interface, process) belongs to the first agent — the administrator created on the first start,
 * OTOBO's user 1. The responsible is optional; OTOBO clients read a missing one as that agent, as
 * OTOBO reads a missing one as user 1. So they never meet an empty OwnerID or ResponsibleID, not
 * even for tickets written before this rule (the migration gives them the default owner).
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as backfill } from '../server/db/migrations/0018-default-ticket-owner';
import { databaseKinds } from './support/db';
import { deploy, processTicket, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { dataOf, Gi } from './support/generic-interface';
import { newTicket, PW } from './support/tickets';
import * as P from './engine-server/processes';

/**
 * Id keys of a GI answer whose value is an empty string, at any depth. OTOBO itself answers ""
 * for ServiceID and SLAID without a service or SLA, and for mail headers (MessageID, ContentID).
 */
function emptyIds(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => emptyIds(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      /ID$|^(CreateBy|ChangeBy)$/.test(k) && !['ServiceID', 'SLAID', 'MessageID', 'ContentID'].includes(k) && v === '' ? [`${path}/${k}`] : emptyIds(v, `${path}/${k}`),
    );
  }
  return [];
}

describe.each(databaseKinds)('default owner and responsible on %s', (kind) => {
  let h: EngineHelpdesk;
  let gi: Gi;
  let adminId: number;
  const as = (who: string) => h.as[who]!;
  const row = (id: number) => h.srv.database.db.selectFrom('tickets').select(['owner_id', 'responsible_id']).where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    gi = new Gi(h.srv.url);
    adminId = (await h.srv.database.db.selectFrom('agents').select('id').where('login', '=', 'admin').executeTakeFirstOrThrow()).id;
    await deploy(h, P.linear);
  });
  afterAll(() => h?.close());

  it("an agent's new ticket is theirs; the responsible is only the one named", async () => {
    const t = await newTicket(as('alice'), { title: 'By alice', queue: 'Support' });
    expect(t).toMatchObject({ owner: { login: 'alice' }, responsible: null });
    const named = await newTicket(as('alice'), { title: 'Named', queue: 'Support', owner: 'bob', responsible: 'bob' });
    expect(named).toMatchObject({ owner: { login: 'bob' }, responsible: { login: 'bob' } });
  });

  it("a customer's portal ticket belongs to the administrator, who sees it as owner (unlocked); the customer does not", async () => {
    const res = await as('carl').post('/api/v1/tickets', { title: 'From the portal', article: { body: 'Help' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ owner: null, responsible: null });
    expect(await row(res.body.id)).toEqual({ owner_id: adminId, responsible_id: null });
    const seen = (await as('admin').get(`/api/v1/tickets/${res.body.id}`)).body;
    expect(seen).toMatchObject({ owner: { login: 'admin' }, responsible: null, locked: false });
    const history = (await as('admin').get(`/api/v1/tickets/${res.body.id}/history?perPage=100`)).body.items;
    expect(history.map((x: any) => `${x.type} ${x.field ?? ''} ${x.new ?? ''}`.trim())).toContain('OwnerUpdate owner admin');
  });

  it('a process ticket a customer starts has the same owner', async () => {
    const s = await processTicket(h, 'carl', 'linear', { title: 'Process by carl', queue: undefined }, { DynamicField_Reason: 'why not' });
    expect(await row(s.ticketId)).toEqual({ owner_id: adminId, responsible_id: null });
  });

  it('GI: a customer user creates, reads and finds tickets whose OwnerID and ResponsibleID are never empty', async () => {
    const created = dataOf(
      await gi.post('/TicketCreate', {
        CustomerUserLogin: 'carl',
        Password: PW,
        Ticket: { Title: 'Over the GI' },
        Article: { Subject: 'Hello', Body: 'Body', ContentType: 'text/plain; charset=utf8' },
      }),
    );
    expect(await row(Number(created.TicketID))).toEqual({ owner_id: adminId, responsible_id: null });
    const got = dataOf(await gi.post('/TicketGet', { CustomerUserLogin: 'carl', Password: PW, TicketID: created.TicketID, AllArticles: 1, DynamicFields: 1 }));
    // Customers get the ids (as OTOBO answers them); agents' logins stay hidden from them as in the portal.
    expect(got.Ticket[0]).toMatchObject({ OwnerID: String(adminId), ResponsibleID: String(adminId), Owner: '', Responsible: '' });
    expect(emptyIds(got)).toEqual([]);

    const sid = dataOf(await gi.post('/SessionCreate', { UserLogin: 'alice', Password: PW })).SessionID;
    const byAgent = dataOf(await gi.post('/TicketGet', { SessionID: sid, TicketID: created.TicketID, AllArticles: 1 })).Ticket[0];
    expect(byAgent).toMatchObject({ OwnerID: String(adminId), Owner: 'admin', ResponsibleID: String(adminId), Responsible: 'admin' });
    expect(emptyIds(byAgent)).toEqual([]);
    const history = dataOf(await gi.post('/TicketHistoryGet', { SessionID: sid, TicketID: created.TicketID }));
    expect(emptyIds(history)).toEqual([]);
    expect(history.TicketHistory[0].History[0]).toMatchObject({ HistoryType: 'NewTicket', OwnerID: String(adminId) });
  });

  it('tickets written without an owner are given the default by the migration; until then, and without a responsible, GI still answers ids', async () => {
    const a = await newTicket(as('alice'), { title: 'Old one', queue: 'Support' });
    const b = await newTicket(as('alice'), { title: 'Old two', queue: 'Support', responsible: 'bob' });
    const db = h.srv.database.db;
    // As tickets created before every ticket got an owner.
    await db.updateTable('tickets').set({ owner_id: null, responsible_id: null }).where('id', 'in', [a.id, b.id]).execute();
    await db.deleteFrom('ticket_history').where('ticket_id', 'in', [a.id, b.id]).where('type', 'in', ['OwnerUpdate', 'ResponsibleUpdate']).execute();

    const sid = dataOf(await gi.post('/SessionCreate', { UserLogin: 'alice', Password: PW })).SessionID;
    const before = dataOf(await gi.post('/TicketGet', { SessionID: sid, TicketID: String(a.id) })).Ticket[0];
    expect(before).toMatchObject({ OwnerID: String(adminId), Owner: 'admin', ResponsibleID: String(adminId), Responsible: 'admin' });
    const history = dataOf(await gi.post('/TicketHistoryGet', { SessionID: sid, TicketID: String(a.id) }));
    expect(emptyIds(history)).toEqual([]);

    await backfill(db);
    expect(await row(a.id)).toEqual({ owner_id: adminId, responsible_id: null });
    expect(await row(b.id)).toEqual({ owner_id: adminId, responsible_id: null });
    const after = dataOf(await gi.post('/TicketGet', { SessionID: sid, TicketID: String(b.id) })).Ticket[0];
    expect(after).toMatchObject({ OwnerID: String(adminId), Owner: 'admin', ResponsibleID: String(adminId), Responsible: 'admin' });
  });
});
