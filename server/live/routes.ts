/**
 * `GET /api/v1/events`: Server-Sent Events for agents and customer users. Each `tickets` event names
 * the tickets that changed (anywhere, through any server process) and that the caller may read:
 * `event: tickets` / `data: {"tickets":[12,13]}`; each `notification` event carries a new web
 * notification of the caller (`data: {"notification": {...}}`, the shape of `GET /notifications`). A `ready` event follows the subscription; a
 * comment line every 25 s keeps proxies from closing the stream; the server ends a stream after
 * 10 minutes and the browser's EventSource reconnects (after `retry` ms).
 */
import { ApiRouter } from '../http/api';
import { liveHub } from './hub';

const HEARTBEAT_MS = 25_000;
const LIFETIME_MS = 10 * 60_000;

export function liveRouter(): ApiRouter {
  const api = new ApiRouter('/events', 'Live events');

  api.get(
    '/',
    {
      summary: 'Live ticket changes (Server-Sent Events)',
      description:
        'Events: `ready` once listening; `tickets` with `{"tickets": [ids]}` whenever tickets you may read change (through any server process), refetch what you show of them; `notification` with `{"notification": {...}}` for each new web notification of yours. Agents and customer users.',
      auth: 'any',
      responses: { 200: { binary: 'text/event-stream' } },
    },
    (c) => {
      const actor = c.get('access').requireActor();
      const hub = liveHub(c.get('services'));
      const encoder = new TextEncoder();
      let closed = false;
      let off: (() => void) | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      let lifetime: NodeJS.Timeout | undefined;
      let controller!: ReadableStreamDefaultController<Uint8Array>;

      const finish = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        off?.();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          finish();
        }
      };

      const body = new ReadableStream<Uint8Array>({
        async start(ctrl) {
          controller = ctrl;
          write('retry: 3000\n: connected\n\n');
          c.req.raw.signal.addEventListener('abort', finish);
          const unsubscribe = await hub.subscribe({
            actor,
            send: (ids) => write(`event: tickets\ndata: ${JSON.stringify({ tickets: ids })}\n\n`),
            notify: (n) => write(`event: notification\ndata: ${JSON.stringify({ notification: n })}\n\n`),
            close: finish,
          });
          if (closed) return unsubscribe();
          off = unsubscribe;
          write('event: ready\ndata: {}\n\n');
          heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
          lifetime = setTimeout(finish, LIFETIME_MS);
        },
        cancel() {
          finish();
        },
      });
      return new Response(body, {
        status: 200,
        headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
      });
    },
  );

  return api;
}
