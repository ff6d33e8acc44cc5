/**
 * Changing a ticket's fields inside a transaction: each change is checked against the permission
 * OTRS asks for (moving: `move_into` on the ticket and on the target queue; owner: `owner`;
 * priority: `priority`; everything else: `rw`), written, and recorded in history with old → new
 * (TitleUpdate, Move, StateUpdate, SetPendingTime, PriorityUpdate, TypeUpdate, ServiceUpdate,
 * SLAUpdate, OwnerUpdate, ResponsibleUpdate, CustomerUpdate, ArchiveFlagUpdate,
 * TicketDynamicFieldUpdate). A ticket set to a closed state is unlocked, as OTRS does; leaving a
 * pending state clears the pending time. Used by PATCH, bulk changes and the service API. Moves,
 * owner, responsible and state changes raise their notification events; a pending reminder time
 * schedules its reminder.
 */
import type { Updateable } from 'kysely';
import type { DB, Permission } from '../db/schema';
import { checkValues, setValues, valueText, type CheckedValue } from '../dynamic-fields/values';
import { BadRequest, Forbidden } from '../errors';
import { changeEntry, writeHistory, type HistoryEntry } from '../history/history';
import { raiseNotification, type NotificationEvent } from '../notifications/raise';
import { schedulePendingReminder } from '../notifications/reminders';
import { refreshTicketSearch } from '../search/document';
import type { WriteContext } from './context';
import { isPendingType, type ResolvedFields } from './refs';
import type { TicketDetails } from './repo';

export interface TicketChanges extends ResolvedFields {
  title?: string;
  archived?: boolean;
  dynamicFields?: Record<string, unknown>;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Applies `ch` to the (locked) ticket `t`. Resolves to whether anything changed. `prefix` is
 * prepended to error paths (`/set` in bulk changes).
 */
export async function applyChanges(ctx: WriteContext, t: TicketDetails, ch: TicketChanges, prefix = ''): Promise<boolean> {
  await ctx.access.assertTicket(t, 'ro');
  if (ctx.actor.kind !== 'agent') throw new Forbidden('customer users cannot change tickets this way', 'AGENT_REQUIRED');

  const set: Updateable<DB['tickets']> = {};
  const history: HistoryEntry[] = [];
  const needs = new Set<Permission>();
  let refreshSearch = false;

  if (ch.title !== undefined && ch.title !== t.title) {
    set.title = ch.title;
    history.push(changeEntry(t.id, 'TitleUpdate', 'title', t.title, ch.title));
    needs.add('rw');
    refreshSearch = true;
  }

  let moveTarget: number | undefined;
  if (ch.queue && ch.queue.id !== t.queue_id) {
    set.queue_id = ch.queue.id;
    moveTarget = ch.queue.id;
    history.push({
      ticketId: t.id,
      type: 'Move',
      field: 'queue',
      old: t.queue_name,
      new: ch.queue.name,
      message: `Moved ticket from queue "${t.queue_name}" (${t.queue_id}) into "${ch.queue.name}" (${ch.queue.id}).`,
      data: { oldQueueId: t.queue_id, newQueueId: ch.queue.id },
    });
    needs.add('move_into');
  }

  let stateType = t.state_type;
  if (ch.state && ch.state.id !== t.state_id) {
    if (ch.state.type_name === 'merged') {
      throw new BadRequest('a ticket gets a merged state only by merging it', `${prefix}/state`, undefined, 'STATE_NOT_SETTABLE');
    }
    set.state_id = ch.state.id;
    stateType = ch.state.type_name;
    history.push(changeEntry(t.id, 'StateUpdate', 'state', t.state_name, ch.state.name, { oldStateId: t.state_id, newStateId: ch.state.id }));
    needs.add('rw');
  }

  const pending = isPendingType(stateType);
  if (ch.pendingUntil && !pending) {
    throw new BadRequest(`only pending states have a pending time (the state is a "${stateType}" state)`, `${prefix}/pendingUntil`);
  }
  const newPending = ch.pendingUntil !== undefined ? ch.pendingUntil : pending ? t.pending_until : null;
  if (pending && !newPending) throw new BadRequest('is required for pending states', `${prefix}/pendingUntil`, undefined, 'PENDING_TIME_REQUIRED');
  if (iso(newPending) !== iso(t.pending_until)) {
    set.pending_until = newPending;
    history.push(changeEntry(t.id, 'SetPendingTime', 'pendingUntil', iso(t.pending_until), iso(newPending)));
    needs.add('rw');
  }

  if (ch.priority && ch.priority.id !== t.priority_id) {
    set.priority_id = ch.priority.id;
    history.push(changeEntry(t.id, 'PriorityUpdate', 'priority', t.priority_name, ch.priority.name));
    needs.add('priority');
  }
  if (ch.type && ch.type.id !== t.type_id) {
    set.type_id = ch.type.id;
    history.push(changeEntry(t.id, 'TypeUpdate', 'type', t.type_name, ch.type.name));
    needs.add('rw');
  }
  if (ch.service !== undefined && (ch.service?.id ?? null) !== t.service_id) {
    set.service_id = ch.service?.id ?? null;
    history.push(changeEntry(t.id, 'ServiceUpdate', 'service', t.service_name, ch.service?.name ?? null));
    needs.add('rw');
  }
  if (ch.sla !== undefined && (ch.sla?.id ?? null) !== t.sla_id) {
    set.sla_id = ch.sla?.id ?? null;
    history.push(changeEntry(t.id, 'SLAUpdate', 'sla', t.sla_name, ch.sla?.name ?? null));
    needs.add('rw');
  }
  if (ch.owner && ch.owner.id !== t.owner_id) {
    set.owner_id = ch.owner.id;
    history.push(changeEntry(t.id, 'OwnerUpdate', 'owner', t.owner_login, ch.owner.login, { oldOwnerId: t.owner_id, newOwnerId: ch.owner.id }));
    needs.add('owner');
  }
  if (ch.responsible !== undefined && (ch.responsible?.id ?? null) !== t.responsible_id) {
    set.responsible_id = ch.responsible?.id ?? null;
    history.push(changeEntry(t.id, 'ResponsibleUpdate', 'responsible', t.responsible_login, ch.responsible?.login ?? null));
    needs.add('rw');
  }

  const newCustomerUser = ch.customerUser !== undefined ? ch.customerUser : undefined;
  if (newCustomerUser !== undefined && (newCustomerUser?.id ?? null) !== t.customer_user_id) {
    set.customer_user_id = newCustomerUser?.id ?? null;
    history.push(changeEntry(t.id, 'CustomerUpdate', 'customerUser', t.customer_user_login, newCustomerUser?.login ?? null));
    needs.add('rw');
  }
  const newCustomerId = ch.customerId !== undefined ? ch.customerId : newCustomerUser ? newCustomerUser.customer_id : undefined;
  if (newCustomerId !== undefined && newCustomerId !== t.customer_id) {
    set.customer_id = newCustomerId;
    history.push(changeEntry(t.id, 'CustomerUpdate', 'customerId', t.customer_id, newCustomerId));
    needs.add('rw');
  }

  if (ch.archived !== undefined && ch.archived !== t.archived) {
    set.archived = ch.archived;
    history.push(changeEntry(t.id, 'ArchiveFlagUpdate', 'archived', String(t.archived), String(ch.archived)));
    needs.add('rw');
  }

  const dynamicFields = ch.dynamicFields && Object.keys(ch.dynamicFields).length ? ch.dynamicFields : undefined;
  if (dynamicFields) {
    const checked = await checkValues(ctx.db, 'ticket', dynamicFields, `${prefix}/dynamicFields`);
    await assertFieldsWritable(ctx, checked);
    needs.add('rw');
  }

  // Closing unlocks (OTRS): nobody keeps a lock on a finished ticket.
  if (set.state_id !== undefined && (stateType === 'closed' || stateType === 'removed') && t.locked) {
    set.locked = false;
    history.push({ ticketId: t.id, type: 'Unlock', field: 'lock', old: 'lock', new: 'unlock', message: 'Ticket unlocked because it was closed.' });
  }

  for (const perm of needs) await ctx.access.assertTicket(t, perm);
  if (moveTarget !== undefined && !(await ctx.access.onQueue(moveTarget, 'move_into'))) {
    throw new Forbidden("you need the 'move_into' permission on the target queue", 'PERMISSION_DENIED', `${prefix}/queue`);
  }

  if (dynamicFields) {
    const changes = await setValues(ctx.db, 'ticket', t.id, dynamicFields, `${prefix}/dynamicFields`);
    for (const c of changes) {
      history.push(changeEntry(t.id, 'TicketDynamicFieldUpdate', `DynamicField_${c.field.name}`, valueText(c.old), valueText(c.new)));
    }
  }

  if (!history.length) return false;
  await ctx.db
    .updateTable('tickets')
    .set({ ...set, changed_at: ctx.now })
    .where('id', '=', t.id)
    .execute();
  await writeHistory(ctx.db, history, ctx.by, ctx.now);
  if (refreshSearch) await refreshTicketSearch(ctx.db, [t.id]);
  const events: NotificationEvent[] = [];
  const event = { ticketId: t.id, actor: ctx.by };
  if (moveTarget !== undefined) events.push({ type: 'moved', ...event, data: { oldQueue: t.queue_name } });
  if (set.owner_id !== undefined) events.push({ type: 'ownerChanged', ...event, data: { oldOwner: t.owner_login } });
  if (set.responsible_id != null) events.push({ type: 'responsibleChanged', ...event, data: { oldResponsible: t.responsible_login } });
  if (set.state_id !== undefined) events.push({ type: 'stateChanged', ...event, data: { oldState: t.state_name } });
  for (const e of events) await raiseNotification(ctx.db, e, ctx.now);
  // A reminder (or auto close) is due at the (new) pending time of a ticket (newly) in a pending state.
  if (isPendingType(stateType) && newPending && (set.pending_until !== undefined || set.state_id !== undefined)) {
    await schedulePendingReminder(ctx.db, t.id, new Date(newPending), ctx.now);
  }
  return true;
}

/**
 * Internal dynamic fields (the engine's) may be written over the API by administrators only;
 * customers may write customer-visible fields only.
 */
export async function assertFieldsWritable(ctx: WriteContext, checked: CheckedValue[]) {
  const hidden = ctx.access.actor?.kind === 'customer' ? checked.find((c) => !c.field.customer_visible || c.field.internal) : undefined;
  if (hidden) throw new Forbidden(`dynamic field "${hidden.field.name}" cannot be set from the customer portal`, 'PERMISSION_DENIED', hidden.path);
  const internal = checked.find((c) => c.field.internal);
  if (internal && !(await ctx.access.isAdmin())) {
    throw new Forbidden(`dynamic field "${internal.field.name}" is internal; only administrators may set it`, 'PERMISSION_DENIED', internal.path);
  }
}
