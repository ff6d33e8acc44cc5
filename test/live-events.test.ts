/**
 * Live ticket events over Server-Sent Events (`GET /api/v1/events`): an agent hears of changes to
 * tickets they may read and never of the others; on PostgreSQL a change made through one server
 * process arrives on the stream of another server on the same database (LISTEN/NOTIFY), and a
 * rolled-back change is never announced. PGlite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { serve, type ServerType } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { openDatabase, type Database } from '../server/db/index';
import { closeLive } from '../server/live/hub';
import { createServices, type Services } from '../server/services';
import { TEST_DATABASE_URL, databaseKinds } from './support/db';
import { Client } from './support/server';
import { newTicket, PW, startHelpdesk, type Helpdesk } from './support/tickets';
import { openEventStream } from './support/events';

describe.each(databaseKinds)('live events on %s', (kind) => {
  let h: Helpdesk;
  beforeAll(async () => {
    h = await startHelpdesk(kind, {
      queues: { Sales: 'sales', Secret: 'secret' },
      agents: { seller: { sales: ['rw'] }, boss: { sales: ['rw'], secret: ['rw'] } },
    });
    // A server on PostgreSQL LISTENs with its own connection to DATABASE_URL (the test server's config has none).
    if (kind === 'postgres') h.srv.services.config.databaseUrl = TEST_DATABASE_URL;
  });
  afterAll(async () => {
    await closeLive(h.srv.services);
    await h?.close();
  });

  it('needs an agent session', async () => {
    expect((await fetch(`${h.srv.url}/api/v1/events`)).status).toBe(401);
  });

  it('sends changes of readable tickets only', async () => {
    const seller = await openEventStream(h.srv.url, h.as.seller!);
    const boss = await openEventStream(h.srv.url, h.as.boss!);
    try {
      const hidden = await newTicket(h.as.boss!, { title: 'Secret plan', queue: 'Secret' });
      const open = await newTicket(h.as.boss!, { title: 'Public offer', queue: 'Sales' });
      await expect.poll(() => seller.tickets()).toContain(open.id);
      await expect.poll(() => boss.tickets()).toEqual(expect.arrayContaining([hidden.id, open.id]));
      expect(seller.tickets()).not.toContain(hidden.id);

      // A later change (a note) is announced again.
      const before = seller.tickets().length;
      expect((await h.as.boss!.post(`/api/v1/tickets/${open.id}/articles`, { channel: 'note', body: 'Called them' })).status).toBe(201);
      await expect.poll(() => seller.tickets().length).toBeGreaterThan(before);
      expect(seller.tickets().at(-1)).toBe(open.id);

      // A change that fails (a state that does not exist) is not announced.
      const count = boss.tickets().length;
      expect((await h.as.boss!.request('PATCH', `/api/v1/tickets/${hidden.id}`, { title: 'Renamed', state: 'no such state' })).status).toBe(400);
      expect((await h.as.boss!.request('PATCH', `/api/v1/tickets/${open.id}`, { title: 'Public offer (v2)' })).status).toBe(200);
      await expect.poll(() => boss.tickets().slice(count)).toContain(open.id);
      expect(boss.tickets().slice(count)).not.toContain(hidden.id);
    } finally {
      seller.close();
      boss.close();
    }
  });

  it.runIf(kind === 'postgres')('delivers a change made through server A on the stream of server B', async () => {
    // Server B: a second server on the same PostgreSQL schema, listening with its own connection.
    const schema = h.srv.database.schema!;
    const database: Database = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 3 });
    const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', validateResponses: true, databaseUrl: TEST_DATABASE_URL };
    const services: Services = createServices(database, config, pino({ level: 'silent' }));
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: createApp(services).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const addr = server.address();
    const urlB = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    try {
      const sellerB = new Client(urlB);
      await sellerB.login('seller', PW);
      const stream = await openEventStream(urlB, sellerB);
      try {
        const t = await newTicket(h.as.seller!, { title: 'Made on A', queue: 'Sales' });
        await expect.poll(() => stream.tickets()).toContain(t.id);
        const hidden = await newTicket(h.as.boss!, { title: 'Secret on A', queue: 'Secret' });
        expect((await h.as.seller!.post(`/api/v1/tickets/${t.id}/lock`)).status).toBe(200);
        await expect.poll(() => stream.tickets().filter((id) => id === t.id).length).toBeGreaterThan(1);
        expect(stream.tickets()).not.toContain(hidden.id);
      } finally {
        stream.close();
      }
    } finally {
      await closeLive(services);
      await new Promise<void>((r) => server.close(() => r()));
      await database.close();
    }
  });
});
