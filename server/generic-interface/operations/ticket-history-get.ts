/**
 * TicketHistoryGet: the history of one or more tickets (agents only, as OTOBO), as
 * `{"TicketHistory": [{"TicketID": "1", "History": [...]}]}` with OTOBO's attributes per line:
 * TicketID, ArticleID, Name, HistoryType, HistoryTypeID (OTOBO's ids), CreateBy, CreateTime, and
 * the ticket's QueueID, OwnerID, PriorityID, StateID and TypeID as they were after that change.
 */
import type { HistoryItemView } from '../../history/schema';
import { agentRepo } from '../../agents/repo';
import { TicketService } from '../../tickets/service';
import { opError } from '../envelope';
import { authenticate, type OperationHandler } from '../operation';
import { otoboTime, s, type Data } from '../params';
import { toOperationError } from './errors';
import { assertReadable, ticketIds } from './ticket-get';

const OP = 'TicketHistoryGet';

/** OTOBO's `ticket_history_type` ids. */
const HISTORY_TYPE_IDS: Record<string, number> = {
  NewTicket: 1, FollowUp: 2, SendAutoReject: 3, SendAutoReply: 4, SendAutoFollowUp: 5, Forward: 6, Bounce: 7, SendAnswer: 8,
  SendAgentNotification: 9, SendCustomerNotification: 10, EmailAgent: 11, EmailCustomer: 12, PhoneCallAgent: 13,
  PhoneCallCustomer: 14, AddNote: 15, Move: 16, Lock: 17, Unlock: 18, Remove: 19, TimeAccounting: 20, CustomerUpdate: 21,
  PriorityUpdate: 22, OwnerUpdate: 23, LoopProtection: 24, Misc: 25, SetPendingTime: 26, StateUpdate: 27,
  TicketDynamicFieldUpdate: 28, WebRequestCustomer: 29, TicketLinkAdd: 30, TicketLinkDelete: 31, SystemRequest: 32, Merged: 33,
  ResponsibleUpdate: 34, Subscribe: 35, Unsubscribe: 36, TypeUpdate: 37, ServiceUpdate: 38, SLAUpdate: 39, ArchiveFlagUpdate: 40,
  TitleUpdate: 50, EmailResend: 51, ArticleDynamicFieldUpdate: 52,
};

interface Snapshot {
  QueueID: number | null;
  OwnerID: number | null;
  PriorityID: number | null;
  StateID: number | null;
  TypeID: number | null;
}

/**
 * Replays the history to know the ticket's queue, owner, priority, state and type after each line
 * (OTOBO stores them on every history row).
 */
function replay(items: HistoryItemView[], priorities: Map<string, number>, types: Map<string, number>, defaultOwner: number): Snapshot[] {
  // A ticket created without an owner (before every ticket had one) belonged to the default agent.
  const cur: Snapshot = { QueueID: null, OwnerID: defaultOwner, PriorityID: null, StateID: null, TypeID: null };
  // The owner set when the ticket was created is already the owner of its NewTicket line.
  const created = items.find((h) => h.type === 'NewTicket')?.at;
  const firstOwner = items.find((h) => h.type === 'OwnerUpdate' && h.at === created);
  const firstOwnerId = (firstOwner?.data as { newOwnerId?: unknown } | null)?.newOwnerId;
  if (typeof firstOwnerId === 'number') cur.OwnerID = firstOwnerId;
  return items.map((h) => {
    const d = (h.data ?? {}) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    switch (h.type) {
      case 'NewTicket':
        cur.QueueID = num(d.queueId) ?? cur.QueueID;
        cur.StateID = num(d.stateId) ?? cur.StateID;
        cur.PriorityID = num(d.priorityId) ?? cur.PriorityID;
        cur.TypeID = num(d.typeId) ?? cur.TypeID;
        break;
      case 'Move':
        cur.QueueID = num(d.newQueueId) ?? cur.QueueID;
        break;
      case 'StateUpdate':
        cur.StateID = num(d.newStateId) ?? cur.StateID;
        break;
      case 'OwnerUpdate':
        cur.OwnerID = num(d.newOwnerId) ?? cur.OwnerID;
        break;
      case 'PriorityUpdate':
        cur.PriorityID = (h.new ? priorities.get(h.new) : undefined) ?? cur.PriorityID;
        break;
      case 'TypeUpdate':
        cur.TypeID = (h.new ? types.get(h.new) : undefined) ?? cur.TypeID;
        break;
    }
    return { ...cur };
  });
}

export const ticketHistoryGet: OperationHandler = async (ctx, data: Data) => {
  const access = await authenticate(ctx, data, OP, { fail: 'Authorization failing!' });
  if (access.actor?.kind !== 'agent') throw opError(OP, 'AuthFail', 'User needs to an Agent!');
  const ids = ticketIds(OP, data.TicketID);
  try {
    const db = ctx.services.database.db;
    await assertReadable(db, access, ids, OP, (id) => `User does not have access to the ticket ${id}!`);
    const priorities = new Map((await db.selectFrom('priorities').select(['id', 'name']).execute()).map((r) => [r.name, r.id]));
    const types = new Map((await db.selectFrom('ticket_types').select(['id', 'name']).execute()).map((r) => [r.name, r.id]));
    // OTOBO's user 1 when there is no agent at all.
    const defaultOwner = (await agentRepo.defaultAgent(db))?.id ?? 1;
    const tickets = new TicketService(ctx.services);
    const out: Data[] = [];
    for (const id of ids) {
      const items: HistoryItemView[] = [];
      for (let page = 1; ; page++) {
        const res = await tickets.history(access, id, page, 1000);
        items.push(...res.items);
        if (items.length >= res.total || !res.items.length) break;
      }
      const snapshots = replay(items, priorities, types, defaultOwner);
      out.push({
        TicketID: s(id),
        History: items.map((h, i) => ({
          TicketID: s(id),
          ArticleID: s(h.articleId ?? 0),
          Name: h.message,
          HistoryType: h.type,
          HistoryTypeID: s(HISTORY_TYPE_IDS[h.type] ?? HISTORY_TYPE_IDS.Misc),
          CreateBy: h.who.kind === 'agent' && h.who.id !== null ? s(h.who.id) : '1',
          CreateTime: otoboTime(h.at),
          QueueID: s(snapshots[i]!.QueueID),
          OwnerID: s(snapshots[i]!.OwnerID),
          PriorityID: s(snapshots[i]!.PriorityID),
          StateID: s(snapshots[i]!.StateID),
          TypeID: s(snapshots[i]!.TypeID),
        })),
      });
    }
    return { TicketHistory: out };
  } catch (e) {
    throw toOperationError(OP, e, { accessDenied: 'User does not have access to the ticket!' });
  }
};
