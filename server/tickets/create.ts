/**
 * Creating a ticket inside one transaction: the ticket row, its first article (with attachments and
 * article fields), ticket dynamic fields, the search document and history — NewTicket, then what
 * OTRS writes for the fields set at creation (CustomerUpdate, OwnerUpdate, ResponsibleUpdate,
 * ServiceUpdate, SLAUpdate, Lock, SetPendingTime, TicketDynamicFieldUpdate) and the article's
 * entry. Agents need `create` on the queue and become owner unless another owner is given;
 * customer users create portal tickets that belong to them, in one of the queues offered to
 * customers (the customers' default queue unless they pick one; see `portal/customer-queues.ts`).
 * As in OTOBO every ticket has an owner: a customer's ticket belongs to the default agent
 * (`agentRepo.defaultAgent`, OTOBO's user 1). The responsible stays unset unless one is named (the
 * Generic Interface reads it as the default agent, as OTOBO reads a missing one as user 1), so the
 * default agent is not made responsible — and so a reader — of every ticket.
 * Raises the `ticketCreated` notification event.
 */
import { agentRepo } from '../agents/repo';
import { checkValues, setValues, valueText } from '../dynamic-fields/values';
import { BadRequest, Forbidden } from '../errors';
import { changeEntry, writeHistory, type HistoryEntry } from '../history/history';
import { insertArticle } from '../articles/write';
import { resolvePriority, resolveQueue, resolveState, resolveType } from '../catalog/resolve';
import { raiseNotification } from '../notifications/raise';
import { schedulePendingReminder } from '../notifications/reminders';
import { refreshTicketSearch } from '../search/document';
import { assertFieldsWritable } from './changes';
import type { WriteContext } from './context';
import { isPendingType, resolveFields } from './refs';
import type { TicketCreateInput } from './schema';

/** Fields a customer user may not set when opening a ticket in the portal. */
const CUSTOMER_FORBIDDEN = [
  'state', 'stateId', 'owner', 'ownerId', 'responsible', 'responsibleId', 'customerUser', 'customerUserId', 'customerId',
  'pendingUntil', 'lock', 'sla', 'slaId',
] as const;

export const DEFAULTS = { state: 'new', priority: '3 normal', type: 'Unclassified' } as const;

/**
 * Creates the ticket with number `tn` (taken beforehand with `nextTicketNumber`) and resolves to
 * its id. Throws (and so rolls everything back) on any bad reference, value or permission.
 */
export async function createTicket(ctx: WriteContext, input: TicketCreateInput, tn: string): Promise<number> {
  const byCustomer = ctx.actor.kind === 'customer';
  if (byCustomer) {
    for (const key of CUSTOMER_FORBIDDEN) {
      if (input[key] !== undefined) throw new Forbidden(`customer users cannot set ${key}`, 'FORBIDDEN', `/${key}`);
    }
  }
  const f = await resolveFields(ctx.db, input);
  const opts = { requireValid: true };
  if (!f.queue) {
    const fallback = byCustomer ? (await ctx.access.customerQueues()).defaultQueue : null;
    if (!fallback) throw new BadRequest('give the queue by id or by name', '/queue', undefined, 'MISSING_REFERENCE');
    f.queue = await resolveQueue(ctx.db, { id: fallback.id }, '/queue', opts);
  }
  f.state ??= await resolveState(ctx.db, { name: DEFAULTS.state }, '/state', opts);
  f.priority ??= await resolvePriority(ctx.db, { name: DEFAULTS.priority }, '/priority', opts);
  f.type ??= await resolveType(ctx.db, { name: DEFAULTS.type }, '/type', opts);
  if (f.state.type_name === 'merged') throw new BadRequest('a ticket gets a merged state only by merging it', '/state', undefined, 'STATE_NOT_SETTABLE');
  if (byCustomer) await ctx.access.assertCustomerQueue(f.queue, input.queueId !== undefined ? '/queueId' : '/queue');
  else await ctx.access.assertQueue(f.queue.id, 'create');

  const pending = isPendingType(f.state.type_name);
  if (pending && !f.pendingUntil) throw new BadRequest('is required for pending states', '/pendingUntil', undefined, 'PENDING_TIME_REQUIRED');
  if (!pending && f.pendingUntil) throw new BadRequest(`only pending states have a pending time (the state is a "${f.state.type_name}" state)`, '/pendingUntil');

  const owner = f.owner ?? (ctx.actor.kind === 'agent' ? ctx.actor : await agentRepo.defaultAgent(ctx.db));
  const ownerId = owner?.id ?? null;
  const ownerLogin = owner?.login ?? null;
  if (input.lock && ownerId === null) throw new BadRequest('a locked ticket needs an owner', '/lock');
  const customerUserId = byCustomer ? ctx.actor.id : (f.customerUser?.id ?? null);
  const customerUserLogin = byCustomer ? ctx.actor.login : (f.customerUser?.login ?? null);
  const customerId =
    ctx.actor.kind === 'customer' ? ctx.actor.customerId : f.customerId !== undefined ? f.customerId : (f.customerUser?.customer_id ?? null);

  const dynamicFields = input.dynamicFields ?? {};
  const checked = await checkValues(ctx.db, 'ticket', dynamicFields);
  await assertFieldsWritable(ctx, checked);

  const { id } = await ctx.db
    .insertInto('tickets')
    .values({
      tn,
      title: input.title,
      queue_id: f.queue.id,
      state_id: f.state.id,
      priority_id: f.priority.id,
      type_id: f.type.id,
      service_id: f.service?.id ?? null,
      sla_id: f.sla?.id ?? null,
      locked: input.lock ?? false,
      owner_id: ownerId,
      responsible_id: f.responsible?.id ?? null,
      customer_id: customerId,
      customer_user_id: customerUserId,
      pending_until: f.pendingUntil ?? null,
      created_at: ctx.now,
      changed_at: ctx.now,
      created_by_agent_id: ctx.actor.kind === 'agent' ? ctx.actor.id : null,
      created_by_customer_user_id: byCustomer ? ctx.actor.id : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const history: HistoryEntry[] = [
    {
      ticketId: id,
      type: 'NewTicket',
      message: `New ticket [${tn}] created (queue "${f.queue.name}", state "${f.state.name}", priority "${f.priority.name}").`,
      data: { number: tn, queueId: f.queue.id, stateId: f.state.id, priorityId: f.priority.id, typeId: f.type.id },
    },
  ];
  if (customerUserId !== null) history.push(changeEntry(id, 'CustomerUpdate', 'customerUser', null, customerUserLogin));
  if (customerId !== null) history.push(changeEntry(id, 'CustomerUpdate', 'customerId', null, customerId));
  if (ownerId !== null) history.push(changeEntry(id, 'OwnerUpdate', 'owner', null, ownerLogin, { newOwnerId: ownerId }));
  if (f.responsible) history.push(changeEntry(id, 'ResponsibleUpdate', 'responsible', null, f.responsible.login));
  if (f.service) history.push(changeEntry(id, 'ServiceUpdate', 'service', null, f.service.name));
  if (f.sla) history.push(changeEntry(id, 'SLAUpdate', 'sla', null, f.sla.name));
  if (input.lock) history.push({ ticketId: id, type: 'Lock', field: 'lock', old: 'unlock', new: 'lock', message: 'Ticket locked.' });
  if (f.pendingUntil) history.push(changeEntry(id, 'SetPendingTime', 'pendingUntil', null, f.pendingUntil.toISOString()));

  for (const c of await setValues(ctx.db, 'ticket', id, dynamicFields)) {
    history.push(changeEntry(id, 'TicketDynamicFieldUpdate', `DynamicField_${c.field.name}`, null, valueText(c.new)));
  }
  const article = await insertArticle(ctx, id, input.article, { path: '/article', first: true, defaultSubject: input.title });
  history.push(...article.history);
  await writeHistory(ctx.db, history, ctx.by, ctx.now);
  await refreshTicketSearch(ctx.db, [id]);
  await raiseNotification(ctx.db, { type: 'ticketCreated', ticketId: id, articleId: article.id, actor: ctx.by }, ctx.now);
  if (f.pendingUntil && isPendingType(f.state.type_name)) await schedulePendingReminder(ctx.db, id, f.pendingUntil, ctx.now);
  return id;
}
