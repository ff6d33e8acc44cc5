/**
 * Live ticket changes and notifications for the agent pages and the portal: one `EventSource` on
 * `/api/v1/events` per page load, shared by every listener. `onTicketsChanged(fn)` calls `fn(ids)`
 * with the ids of tickets that changed anywhere (only those the caller may read);
 * `onNotification(fn)` calls `fn(n)` with each new web notification of the caller. The browser
 * reconnects by itself.
 */
import type { ChatMessage } from '$lib/chat';
import type { WebNotification } from '$lib/notifications';

type Listener = (ticketIds: number[]) => void;
/** A chat event of a chat the caller may see (`/api/v1/events`, event `chat`). */
export interface ChatEvent {
  chat: number;
  type: 'message' | 'state' | 'typing';
  message?: ChatMessage;
  who?: string;
  name?: string;
}
type ChatListener = (e: ChatEvent) => void;
const chatListeners = new Set<ChatListener>();
/** Called after every (re)connect, so a page can ask for what it missed. */
const readyListeners = new Set<() => void>();
type NotificationListener = (n: WebNotification) => void;

const listeners = new Set<Listener>();
const notificationListeners = new Set<NotificationListener>();
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
  source.addEventListener('notification', (e) => {
    let n: WebNotification;
    try {
      n = (JSON.parse((e as MessageEvent<string>).data) as { notification: WebNotification }).notification;
    } catch {
      return;
    }
    for (const l of [...notificationListeners]) l(n);
  });
  source.addEventListener('chat', (e) => {
    let ev: ChatEvent;
    try {
      ev = JSON.parse((e as MessageEvent<string>).data) as ChatEvent;
    } catch {
      return;
    }
    for (const l of [...chatListeners]) l(ev);
  });
  source.addEventListener('ready', () => {
    document.documentElement.setAttribute('data-live', 'ready');
    for (const l of [...readyListeners]) l();
  });
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

/**
 * Listens for new web notifications of the caller; returns the function that stops listening.
 *
 * @example
 * $effect(() => onNotification((n) => (unread += 1)));
 */
export function onNotification(fn: NotificationListener): () => void {
  notificationListeners.add(fn);
  open();
  return () => {
    notificationListeners.delete(fn);
  };
}

/**
 * Listens for chat events, and (`onReady`) for every (re)connect of the stream; returns the
 * function that stops listening.
 *
 * @example
 * $effect(() => onChat((e) => { if (e.chat === open) append(e.message); }, () => catchUp()));
 */
export function onChat(fn: ChatListener, onReady?: () => void): () => void {
  chatListeners.add(fn);
  if (onReady) readyListeners.add(onReady);
  open();
  return () => {
    chatListeners.delete(fn);
    if (onReady) readyListeners.delete(onReady);
  };
}

/** Closes the stream (sign-out). */
export function closeLive(): void {
  source?.close();
  source = null;
  document.documentElement.removeAttribute('data-live');
}
