/**
 * A client of the live event stream (`GET /api/v1/events`, Server-Sent Events) for tests: opens it
 * with a session cookie, collects every event in order, and resolves once the server said `ready`.
 */
import { expect } from 'vitest';
import type { Client } from './server';

export interface EventStream {
  events: Array<{ event: string; data: any }>;
  /** Ticket ids of every `tickets` event so far. */
  tickets(): number[];
  /** The notifications of every `notification` event so far. */
  notifications(): any[];
  close(): void;
}

/** Opens the event stream as the client (cookie session) and waits for `ready`. */
export async function openEventStream(base: string, client: Client): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, { headers: { cookie: client.cookie!, accept: 'text/event-stream' }, signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: EventStream['events'] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  await expect.poll(() => events.some((e) => e.event === 'ready')).toBe(true);
  return {
    events,
    tickets: () => events.filter((e) => e.event === 'tickets').flatMap((e) => e.data.tickets as number[]),
    notifications: () => events.filter((e) => e.event === 'notification').map((e) => e.data.notification),
    close: () => abort.abort(),
  };
}
