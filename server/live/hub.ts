/**
 * The live hub of one server: it holds the open event streams of agents (and customer users) and
 * forwards each ticket change to the streams whose caller may read that ticket (checked through the
 * access helper), and each new web notification to the stream of its recipient.
 * Changes arrive by PostgreSQL `LISTEN helpdesk_ticket_changes` (so a change made through any
 * server process reaches every process), or, on PGlite, from the in-process emitter. The listener
 * connection is opened with the first stream and closed with the last. Changes are gathered for a
 * short moment so a bulk change is one event per stream, not hundreds.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { Access } from '../access/access';
import type { Actor } from '../auth/actor';
import { notificationsByIds, type NotificationView } from '../notifications/repo';
import type { Services } from '../services';
import { chatAudience } from '../access/chat';
import { chatMessagesByIds, type ChatMessageView } from '../chat/repo';
import { CHAT_CHANNEL, localChat, localNotifications, localTicketChanges, NOTIFICATION_CHANNEL, TICKET_CHANNEL, type ChatSignal } from './notify';

/** What a chat stream receives: the signal, with the message when one was written. */
export interface ChatLiveEvent {
  chat: number;
  type: ChatSignal['type'];
  message?: ChatMessageView;
  who?: string;
  name?: string;
}

export interface LiveSubscriber {
  /** The signed-in caller; none for a public visitor's stream, which names its one chat instead. */
  actor?: Actor;
  /** A public visitor's stream: the events of this chat only. */
  chatId?: number;
  /** Sends the ids of changed tickets the caller may read. */
  send(ticketIds: number[]): void;
  /** Sends a new web notification of the caller. */
  notify?(n: NotificationView): void;
  /** Sends a chat event the caller may see. */
  chat?(e: ChatLiveEvent): void;
  /** Ends the stream (server shutting down). */
  close(): void;
}

const GATHER_MS = 50;

export class LiveHub {
  private readonly subscribers = new Set<LiveSubscriber>();
  private listener: pg.Client | undefined;
  private starting: Promise<void> | undefined;
  private schema: Promise<string> | undefined;
  private pending = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly onLocal = (ids: number[]) => this.changed(ids);
  private pendingNotifications = new Set<number>();
  private notificationTimer: NodeJS.Timeout | undefined;
  private readonly onLocalNotifications = (ids: number[]) => this.notificationsWritten(ids);
  private readonly onLocalChat = (signal: ChatSignal) => this.chatSignalled(signal);

  constructor(private readonly services: Services) {}

  /** How many streams are open (for tests and logs). */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Adds a stream; returns the function that removes it. Resolves once the hub listens, so a change
   * made right after subscribing is not missed.
   *
   * @example
   * const off = await hub.subscribe({ actor, send: (ids) => write(ids), close: () => end() });
   */
  async subscribe(sub: LiveSubscriber): Promise<() => void> {
    this.subscribers.add(sub);
    await (this.starting ??= this.start());
    return () => {
      this.subscribers.delete(sub);
      if (!this.subscribers.size) void this.stop();
    };
  }

  /** Ends every stream and stops listening. */
  async close(): Promise<void> {
    for (const s of [...this.subscribers]) s.close();
    this.subscribers.clear();
    await this.stop();
  }

  private async start(): Promise<void> {
    const { database, config, log } = this.services;
    if (database.kind !== 'postgres') {
      this.listenLocally();
      return;
    }
    this.schema = sql<{ s: string }>`select current_schema() as s`.execute(database.db).then((r) => r.rows[0]?.s ?? 'public');
    if (!config.databaseUrl) {
      log.warn('live events: no DATABASE_URL to LISTEN with; only changes made in this process are sent');
      this.listenLocally();
      return;
    }
    const client = new pg.Client({ connectionString: config.databaseUrl });
    client.on('error', (err) => log.warn({ err }, 'live events: LISTEN connection failed'));
    client.on('notification', (n) => void this.notified(n.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${TICKET_CHANNEL}`);
      await client.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
      await client.query(`LISTEN ${CHAT_CHANNEL}`);
      this.listener = client;
    } catch (err) {
      log.warn({ err }, 'live events: could not LISTEN; only changes made in this process are sent');
      await client.end().catch(() => undefined);
      this.listenLocally();
    }
  }

  private listenLocally(): void {
    localTicketChanges.on('change', this.onLocal);
    localNotifications.on('new', this.onLocalNotifications);
    localChat.on('chat', this.onLocalChat);
  }

  private async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    await starting?.catch(() => undefined);
    localTicketChanges.off('change', this.onLocal);
    localNotifications.off('new', this.onLocalNotifications);
    localChat.off('chat', this.onLocalChat);
    if (this.notificationTimer) clearTimeout(this.notificationTimer);
    this.notificationTimer = undefined;
    this.pendingNotifications.clear();
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private async notified(payload: string | undefined): Promise<void> {
    try {
      const msg = JSON.parse(payload ?? '{}') as { schema?: string; tickets?: number[]; notifications?: number[]; chat?: ChatSignal };
      if (msg.schema !== (await this.schema)) return;
      if (msg.chat && Number.isInteger(msg.chat.chat)) this.chatSignalled(msg.chat);
      if (Array.isArray(msg.tickets)) this.changed(msg.tickets.filter((t) => Number.isInteger(t)));
      if (Array.isArray(msg.notifications)) this.notificationsWritten(msg.notifications.filter((t) => Number.isInteger(t)));
    } catch {
      /* a payload not of ours */
    }
  }

  private changed(ids: number[]): void {
    if (!this.subscribers.size) return;
    for (const id of ids) this.pending.add(id);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const batch = [...this.pending];
      this.pending.clear();
      void this.deliver(batch);
    }, GATHER_MS);
  }

  private notificationsWritten(ids: number[]): void {
    if (!this.subscribers.size) return;
    for (const id of ids) this.pendingNotifications.add(id);
    this.notificationTimer ??= setTimeout(() => {
      this.notificationTimer = undefined;
      const batch = [...this.pendingNotifications];
      this.pendingNotifications.clear();
      void this.deliverNotifications(batch);
    }, GATHER_MS);
  }

  /** Sends each new notification to the streams of its recipient (read back: a rolled-back one is not there). */
  private async deliverNotifications(ids: number[]): Promise<void> {
    try {
      const found = await notificationsByIds(this.services.database.db, ids);
      for (const n of found) {
        for (const s of this.subscribers) if (s.actor?.kind === n.recipient.kind && s.actor.id === n.recipient.id) s.notify?.(n.view);
      }
    } catch (err) {
      this.services.log.warn({ err }, 'live events: could not deliver notifications');
    }
  }

  private chatSignalled(signal: ChatSignal): void {
    if (!this.subscribers.size) return;
    void this.deliverChat(signal);
  }

  /**
   * Sends a chat event to the streams that may see it (`chatAudience`, one query set per event, not
   * per stream): messages and typing to the chat's own people, state changes also to the agents of
   * its channel (their request list). A message is read back, so a rolled-back one is never sent.
   */
  private async deliverChat(signal: ChatSignal): Promise<void> {
    try {
      const db = this.services.database.db;
      let message: ChatMessageView | undefined;
      if (signal.type === 'message') {
        message = (await chatMessagesByIds(db, [signal.message ?? 0]))[0];
        if (!message) return;
      }
      const audience = await chatAudience(db, signal.chat, signal.type === 'state');
      if (!audience) return;
      const event: ChatLiveEvent = { chat: signal.chat, type: signal.type, ...(message ? { message } : {}), ...(signal.who ? { who: signal.who, name: signal.name } : {}) };
      for (const s of this.subscribers) {
        const a = s.actor;
        const mine = a ? (a.kind === 'agent' ? audience.agents.has(a.id) : audience.customerUserId === a.id) : s.chatId === signal.chat && audience.visitor;
        if (mine) s.chat?.(event);
      }
    } catch (err) {
      this.services.log.warn({ err }, 'live events: could not deliver a chat event');
    }
  }

  /** Sends each stream the ids its caller may read; the check is a fresh query per caller. */
  private async deliver(ids: number[]): Promise<void> {
    const db = this.services.database.db;
    const byAgent = new Map<string, LiveSubscriber[]>();
    for (const s of this.subscribers) {
      if (!s.actor) continue;
      const k = `${s.actor.kind}:${s.actor.id}`;
      byAgent.set(k, [...(byAgent.get(k) ?? []), s]);
    }
    for (const subs of byAgent.values()) {
      try {
        const access = new Access(db, subs[0]!.actor);
        const where = await access.ticketFilter('t');
        const rows = await db.selectFrom('tickets as t').select('t.id').where('t.id', 'in', ids).where(where).execute();
        if (!rows.length) continue;
        const visible = rows.map((r) => r.id).sort((a, b) => a - b);
        for (const s of subs) s.send(visible);
      } catch (err) {
        this.services.log.warn({ err }, 'live events: could not deliver a change');
      }
    }
  }
}

const hubs = new WeakMap<Services, LiveHub>();
const all = new Set<LiveHub>();

/**
 * The hub of a server (one per `Services`), made on first use.
 *
 * @example
 * const off = await liveHub(services).subscribe(sub);
 */
export function liveHub(services: Services): LiveHub {
  let hub = hubs.get(services);
  if (!hub) {
    hub = new LiveHub(services);
    hubs.set(services, hub);
    all.add(hub);
    if (all.size === 1) {
      // Open streams would hold a graceful shutdown open: end them when the process is told to stop.
      // Only where a handler already decides how to exit (the server's main), so the default stays.
      const end = () => void Promise.all([...all].map((h) => h.close()));
      for (const signal of ['SIGTERM', 'SIGINT'] as const) if (process.listenerCount(signal) > 0) process.once(signal, end);
    }
  }
  return hub;
}

/** Ends the streams of a server and stops its listener (tests, before closing the server). */
export async function closeLive(services: Services): Promise<void> {
  const hub = hubs.get(services);
  if (!hub) return;
  all.delete(hub);
  hubs.delete(services);
  await hub.close();
}
