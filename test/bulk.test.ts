/**
 * Bulk changes over the REST API: each ticket in its own transaction, per-ticket results.
 * PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { historyLines, newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('bulk changes on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales', Readonly: 'readonly', Support: 'support' },
      agents: { boss: { sales: ['rw'], readonly: ['rw'], support: ['rw'] }, bulk: { sales: ['rw'], readonly: ['ro'], support: ['rw'] } },
    });
  });
  afterAll(() => h?.close());

  it('changes the 47 permitted tickets of 50 and reports the 3 others', async () => {
    const ids: number[] = [];
    const denied: number[] = [];
    for (let i = 0; i < 50; i++) {
      const ro = i % 17 === 5; // 5, 22, 39
      const t = await newTicket(h.as.boss!, { title: `Bulk ${i}`, queue: ro ? 'Readonly' : 'Sales' });
      ids.push(t.id);
      if (ro) denied.push(t.id);
    }
    expect(denied).toHaveLength(3);
    const res = await h.as.bulk!.post('/api/v1/tickets/bulk', {
      ticketIds: ids,
      set: { state: 'open', priority: '4 high' },
      note: { subject: 'Bulk', body: 'changed in bulk' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 47, failed: 3 });
    const failures = res.body.results.filter((r: any) => !r.ok);
    expect(failures.map((r: any) => r.ticketId).sort()).toEqual([...denied].sort());
    for (const f of failures) expect(f.error).toMatchObject({ status: 403, code: 'PERMISSION_DENIED' });

    const rows = await h.srv.database.db
      .selectFrom('tickets as t')
      .innerJoin('states as s', 's.id', 't.state_id')
      .innerJoin('priorities as p', 'p.id', 't.priority_id')
      .select(['t.id', 's.name as state', 'p.name as priority'])
      .where('t.id', 'in', ids)
      .execute();
    for (const r of rows) {
      if (denied.includes(r.id)) expect([r.state, r.priority]).toEqual(['new', '3 normal']);
      else expect([r.state, r.priority]).toEqual(['open', '4 high']);
    }
    // the note arrived on the changed tickets only
    const notes = await h.srv.database.db.selectFrom('articles').select('ticket_id').where('subject', '=', 'Bulk').execute();
    expect(notes.map((n) => n.ticket_id).sort()).toEqual(ids.filter((id) => !denied.includes(id)).sort());
    expect(await historyLines(h.as.boss!, ids[0]!)).toEqual(expect.arrayContaining(['StateUpdate state: new → open', 'PriorityUpdate priority: 3 normal → 4 high', 'AddNote']));
    expect(await historyLines(h.as.boss!, denied[0]!)).toEqual(['NewTicket', 'OwnerUpdate owner: - → boss', 'AddNote']);
  });

  it('reports unknown and unreadable tickets per ticket, and bad references for the whole request', async () => {
    const t = await newTicket(h.as.boss!, { title: 'Bulk single', queue: 'Sales' });
    const res = await h.as.bulk!.post('/api/v1/tickets/bulk', { ticketIds: [t.id, 99999999], set: { queue: 'Support' } });
    expect(res.body.results).toEqual([
      { ticketId: t.id, ok: true },
      { ticketId: 99999999, ok: false, error: { status: 404, code: 'NOT_FOUND', message: 'ticket not found' } },
    ]);
    const bad = await h.as.bulk!.post('/api/v1/tickets/bulk', { ticketIds: [t.id], set: { state: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('/set/state');
    expect((await h.as.bulk!.post('/api/v1/tickets/bulk', { ticketIds: [t.id] })).status).toBe(400);
    const pending = await h.as.bulk!.post('/api/v1/tickets/bulk', { ticketIds: [t.id], set: { state: 'pending reminder' } });
    expect(pending.body.results[0].error).toMatchObject({ status: 400, path: '/set/pendingUntil' });
  });
});
