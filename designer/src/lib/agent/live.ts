/**
 * Live ticket changes for the agent pages: one `EventSource` on `/api/v1/events` per page load,
 * shared by every listener. `onTicketsChanged(fn)` calls `fn(ids)` with the ids of tickets that
 * changed anywhere (only those the agent may read); the browser reconnects by itself.
 */
type Listener = (ticketIds: number[]) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

function open(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/events');
  source.addEventListener('tickets', (e) => {
    let ids: number[] = [];
    try {
      ids = (JSON.parse((e as MessageEvent<string>).data) as { tickets: number[] }).tickets;
    } catch {
      return;
    }
    for (const l of [...listeners]) l(ids);
  });
  source.addEventListener('ready', () => document.documentElement.setAttribute('data-live', 'ready'));
}

/**
 * Listens for ticket changes; returns the function that stops listening.
 *
 * @example
 * $effect(() => onTicketsChanged((ids) => { if (ids.includes(ticketId)) reload(); }));
 */
export function onTicketsChanged(fn: Listener): () => void {
  listeners.add(fn);
  open();
  return () => {
    listeners.delete(fn);
  };
}

/** Closes the stream (sign-out). */
export function closeLive(): void {
  source?.close();
  source = null;
  document.documentElement.removeAttribute('data-live');
}
