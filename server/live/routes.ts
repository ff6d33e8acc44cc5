/**
 * `GET /api/v1/events`: Server-Sent Events for agents and customer users. Each `tickets` event names
 * the tickets that changed (anywhere, through any server process) and that the caller may read:
 * `event: tickets` / `data: {"tickets":[12,13]}`; each `notification` event carries a new web
 * notification of the caller (`data: {"notification": {...}}`, the shape of `GET /notifications`). A `ready` event follows the subscription; a
 * comment line every 25 s keeps proxies from closing the stream; the server ends a stream after
 * 10 minutes and the browser's EventSource reconnects (after `retry` ms). Each `chat` event carries
 * a chat event the caller may see (`{"chat": id, "type": "message" | "state" | "typing", ...}`).
 */
import type { Context } from 'hono';
import { ApiRouter } from '../http/api';
import type { AppEnv } from '../http/env';
import { liveHub, type ChatLiveEvent, type LiveSubscriber } from './hub';
import type { NotificationView } from '../notifications/repo';

const HEARTBEAT_MS = 25_000;
const LIFETIME_MS = 10 * 60_000;

export function liveRouter(): ApiRouter {
  const api = new ApiRouter('/events', 'Live events');

  api.get(
    '/',
    {
      summary: 'Live ticket changes (Server-Sent Events)',
      description:
        'Events: `ready` once listening; `tickets` with `{"tickets": [ids]}` whenever tickets you may read change (through any server process), refetch what you show of them; `notification` with `{"notification": {...}}` for each new web notification of yours; `chat` with a chat event (`{"chat": id, "type": "message" | "state" | "typing", "message"?: {...}}`) of the chats you may see (see `/chat`). Agents and customer users.',
      auth: 'any',
      responses: { 200: { binary: 'text/event-stream' } },
    },
    (c) => {
      const actor = c.get('access').requireActor();
      return eventStream(c, {
        actor,
        send: (write) => (ids) => write('tickets', { tickets: ids }),
        notify: (write) => (n) => write('notification', { notification: n }),
        chat: (write) => (e) => write('chat', e),
      });
    },
  );

  return api;
}

type Write = (event: string, data: unknown) => void;

/** What a stream listens to: the caller (or a visitor's one chat) and how each kind of event is written. */
export interface StreamSpec {
  actor?: LiveSubscriber['actor'];
  chatId?: number;
  send?: (write: Write) => (ids: number[]) => void;
  notify?: (write: Write) => (n: NotificationView) => void;
  chat?: (write: Write) => (e: ChatLiveEvent) => void;
}

/**
 * Answers a Server-Sent Events stream fed by the server's one live hub: `ready` once subscribed,
 * a comment every 25 s, the end after 10 minutes (the browser reconnects). The agents' and
 * customers' `/events` and a chat visitor's stream both use it.
 *
 * @example
 * return eventStream(c, { chatId: chat.id, chat: (write) => (e) => write('chat', e) });
 */
export function eventStream(c: Context<AppEnv>, spec: StreamSpec, headers: Record<string, string> = {}): Response {
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
  const raw = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };
  const write: Write = (event, data) => raw(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  const body = new ReadableStream<Uint8Array>({
    async start(ctrl) {
      controller = ctrl;
      raw('retry: 3000\n: connected\n\n');
      c.req.raw.signal.addEventListener('abort', finish);
      const unsubscribe = await hub.subscribe({
        actor: spec.actor,
        chatId: spec.chatId,
        send: spec.send?.(write) ?? (() => undefined),
        notify: spec.notify?.(write),
        chat: spec.chat?.(write),
        close: finish,
      });
      if (closed) return unsubscribe();
      off = unsubscribe;
      write('ready', {});
      heartbeat = setInterval(() => raw(': ping\n\n'), HEARTBEAT_MS);
      lifetime = setTimeout(finish, LIFETIME_MS);
    },
    cancel() {
      finish();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
}
