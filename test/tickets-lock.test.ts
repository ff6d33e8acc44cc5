/**
 * Lock, unlock, watch and unwatch over the REST API. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/db';
import { historyLines, newTicket, startHelpdesk, type Helpdesk } from './support/tickets';

describe.each(databaseKinds)('lock and watch on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales' },
      agents: { first: { sales: ['rw'] }, second: { sales: ['rw'] }, reader: { sales: ['ro'] } },
      customers: { alice: 'ACME' },
    });
  });
  afterAll(() => h?.close());

  it("makes the locking agent owner, and refuses a second agent's lock with 409", async () => {
    const t = await newTicket(h.as.second!, { title: 'Lock me', queue: 'Sales' });
    expect(t.owner.login).toBe('second');
    const locked = await h.as.first!.post(`/api/v1/tickets/${t.id}/lock`);
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    expect(locked.body).toMatchObject({ locked: true, owner: { login: 'first' } });
    // locking again is harmless
    expect((await h.as.first!.post(`/api/v1/tickets/${t.id}/lock`)).status).toBe(200);
    const other = await h.as.second!.post(`/api/v1/tickets/${t.id}/lock`);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('TICKET_LOCKED');
    expect(other.body.error.message).toContain('first');
    expect((await h.as.reader!.post(`/api/v1/tickets/${t.id}/lock`)).status).toBe(409);

    expect(await historyLines(h.as.first!, t.id)).toEqual(expect.arrayContaining(['Lock lock: unlock → lock', 'OwnerUpdate owner: second → first']));
    const unlocked = await h.as.first!.delete(`/api/v1/tickets/${t.id}/lock`);
    expect(unlocked.body).toMatchObject({ locked: false, owner: { login: 'first' } });
    expect(await historyLines(h.as.first!, t.id)).toContain('Unlock lock: lock → unlock');
    // an agent with only ro may not take the lock
    expect((await h.as.reader!.post(`/api/v1/tickets/${t.id}/lock`)).status).toBe(403);
  });

  it('lets the owner or an agent with rw unlock, and unlocks on close', async () => {
    const t = await newTicket(h.as.first!, { title: 'Close me', queue: 'Sales', lock: true });
    expect(t).toMatchObject({ locked: true, owner: { login: 'first' } });
    expect((await h.as.reader!.delete(`/api/v1/tickets/${t.id}/lock`)).status).toBe(403);
    const closed = await h.as.first!.request('PATCH', `/api/v1/tickets/${t.id}`, { state: 'closed successful' });
    expect(closed.body.locked).toBe(false);
    await h.as.first!.post(`/api/v1/tickets/${t.id}/lock`);
    expect((await h.as.second!.delete(`/api/v1/tickets/${t.id}/lock`)).body.locked).toBe(false);
    expect((await h.as.alice!.post(`/api/v1/tickets/${t.id}/lock`)).status).toBe(403);
  });

  it('watches and unwatches, with history', async () => {
    const t = await newTicket(h.as.first!, { title: 'Watch me', queue: 'Sales' });
    expect((await h.as.reader!.post(`/api/v1/tickets/${t.id}/watch`)).status).toBe(204);
    expect((await h.as.reader!.post(`/api/v1/tickets/${t.id}/watch`)).status).toBe(204);
    const view = (await h.as.reader!.get(`/api/v1/tickets/${t.id}`)).body;
    expect(view.watching).toBe(true);
    expect(view.watchers.map((w: any) => w.login)).toEqual(['reader']);
    expect((await h.as.first!.get(`/api/v1/tickets/${t.id}`)).body.watching).toBe(false);
    expect((await h.as.reader!.delete(`/api/v1/tickets/${t.id}/watch`)).status).toBe(204);
    expect((await h.as.reader!.get(`/api/v1/tickets/${t.id}`)).body.watchers).toEqual([]);
    const lines = await historyLines(h.as.first!, t.id);
    expect(lines.filter((l) => l.startsWith('Subscribe'))).toEqual(['Subscribe watcher: - → reader']);
    expect(lines).toContain('Unsubscribe watcher: reader → -');
  });
});
