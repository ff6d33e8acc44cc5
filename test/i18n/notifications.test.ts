/**
 * Notifications in the recipient's language: an agent who chose German gets the German text (web
 * and mail), one who did not the English; a customer whose account says German gets the portal
 * notification in German; an administrator's German text wins over the shipped one. PGlite, and
 * PostgreSQL with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeLive } from '../../server/live/hub';
import { databaseKinds } from '../support/db';
import { newTicket, startHelpdesk, type Helpdesk } from '../support/tickets';

describe.each(databaseKinds)('notifications per language on %s', (kind) => {
  let h: Helpdesk;
  const titles = async (who: string, ticketId: number) =>
    ((await h.as[who]!.get('/api/v1/notifications?limit=200')).body.items as Array<{ ticketId: number; title: string; event: string }>)
      .filter((n) => n.ticketId === ticketId)
      .map((n) => n.title);

  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales' },
      agents: { boss: { sales: ['rw'] }, anna: { sales: ['rw'] }, eric: { sales: ['rw'] } },
      customers: { kurt: 'ACME' },
      customerQueues: ['Sales'],
    });
    expect((await h.as.anna!.put('/api/v1/me/preferences', { language: 'de' })).status).toBe(200);
    expect((await h.as.kurt!.put('/api/v1/me/language', { language: 'de' })).status).toBe(200);
  });
  afterAll(async () => {
    if (h) await closeLive(h.srv.services);
    await h?.close();
  });

  it("writes each agent's notification in the agent's language", async () => {
    const t = await newTicket(h.as.boss!, { title: 'Vertrag', queue: 'Sales' });
    await h.as.boss!.patch(`/api/v1/tickets/${t.id}`, { owner: 'anna', responsible: 'eric' });
    expect(await titles('anna', t.id)).toEqual([`Sie sind Besitzer von [${t.number}] Vertrag`]);
    expect(await titles('eric', t.id)).toEqual([`You are responsible for [${t.number}] Vertrag`]);
  });

  it("writes the customer's portal notification in the account's language", async () => {
    const t = await newTicket(h.as.boss!, { title: 'Drucker', queue: 'Sales', customerUser: 'kurt', article: { channel: 'phone', senderType: 'customer', body: 'Er druckt nicht.' } });
    expect(await titles('kurt', t.id)).toEqual([`Ihre Anfrage [${t.number}] Drucker ist eingegangen`]);
  });

  it("prefers an administrator's German text", async () => {
    await h.srv.database.db
      .insertInto('notification_template_texts')
      .values({ event: 'owner-changed', language: 'de', subject: 'Neu für Sie: {{ticket.title}}', body: 'Bitte kümmern Sie sich darum.' })
      .execute();
    const t = await newTicket(h.as.boss!, { title: 'Angebot', queue: 'Sales' });
    await h.as.boss!.patch(`/api/v1/tickets/${t.id}`, { owner: 'anna' });
    expect(await titles('anna', t.id)).toEqual(['Neu für Sie: Angebot']);
  });
});
