/**
 * `POST /api/v1/tickets/seed`: `npx helpdesk seed` through a running server (the CLI uses it when
 * the server holds the embedded data folder, or with `--url`). Administrators only. The answer is a
 * stream of JSON lines, so a long seed shows its progress and no client times out waiting.
 */
import { ApiRouter } from '../http/api';
import { seedTickets } from './seed';

export interface SeedLine {
  progress?: string;
  result?: { tickets: number; articles: number; ms: number };
  error?: { code: string; message: string };
}

export function seedRouter(): ApiRouter {
  const api = new ApiRouter('/tickets', 'Tickets');
  api.post<unknown, unknown, { tickets: number; seed?: number }>(
    '/seed',
    {
      summary: 'Add demo tickets (npx helpdesk seed)',
      description:
        'Adds `tickets` demo tickets with about three articles each (searchable text, spread over queues, states, owners and customer users), in one transaction. For trying things out and for benchmarks; never on a production database. The answer is `application/x-ndjson`: `{"progress": "…"}` lines, then `{"result": {"tickets", "articles", "ms"}}` or `{"error": {"code", "message"}}`.',
      auth: 'admin',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['tickets'],
        properties: { tickets: { type: 'integer', minimum: 1, maximum: 10_000_000 }, seed: { type: 'integer' } },
      },
      responses: { 200: { binary: 'application/x-ndjson' } },
    },
    (c, { body }) => {
      const services = c.get('services');
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          const send = (line: SeedLine) => controller.enqueue(encoder.encode(JSON.stringify(line) + '\n'));
          try {
            const r = await seedTickets(services.database.db, body.tickets, { seed: body.seed, prefix: services.config.ticketNumberPrefix, log: (m) => send({ progress: m }) });
            send({ result: { tickets: r.tickets, articles: r.articles, ms: r.ms } });
          } catch (err) {
            services.log.error({ err }, 'seeding failed');
            send({ error: { code: 'SEED_FAILED', message: (err as Error).message } });
          }
          controller.close();
        },
      });
      return new Response(stream, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
    },
  );
  return api;
}
