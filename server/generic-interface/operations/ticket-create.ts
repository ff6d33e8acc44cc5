/**
 * TicketCreate: `Ticket` (Title, Queue/QueueID, State/StateID, Priority/PriorityID, CustomerUser,
 * Type, Service, SLA, Owner, Responsible, Lock, PendingTime, CustomerID), `Article` (Subject, Body,
 * ContentType or MimeType [+ Charset], From, To, Cc, CommunicationChannel, IsVisibleForCustomer,
 * SenderType, TimeUnit), `DynamicField` and `Attachment`, checked in OTOBO's order with OTOBO's
 * texts, then created by `TicketService.create` in one transaction. Answers `TicketID`,
 * `TicketNumber`, `ArticleID`, and `Ticket` (with its `Article`) when the operation is configured
 * with `IncludeTicketData`.
 */
import { createProcessTicket } from '../../engine/start';
import { DomainError } from '../../errors';
import type { Access } from '../../access/access';
import { NotFound } from '../../errors';
import { check } from '../../http/validate';
import { TicketService } from '../../tickets/service';
import { ticketCreateBody, type TicketCreateInput } from '../../tickets/schema';
import { opError } from '../envelope';
import { authenticate, type OperationContext, type OperationHandler } from '../operation';
import { isObject, s, text, type Data } from '../params';
import { readDynamicFields } from './dynamic-fields';
import { toOperationError } from './errors';
import { readArticle, readAttachments, readTicketFields, resolveCustomer, type CustomerRef } from './ticket-input';
import { otoboArticles, otoboTicket } from './ticket-output';

const OP = 'TicketCreate';

export const ticketCreate: OperationHandler = async (ctx, data) => {
  const access = await authenticate(ctx, data, OP, {
    missing: 'UserLogin, CustomerUserLogin or SessionID is required!',
    noPassword: 'Password or SessionID is required!',
    fail: 'User could not be authenticated!',
  });
  try {
    return await create(ctx, access, data);
  } catch (e) {
    throw toOperationError(OP, e, { accessDenied: 'Can not create tickets in given Queue or QueueID!' });
  }
};

/**
 * OTOBO clients start a process ticket by naming the process (`Ticket->ProcessEntityID`; `ProcessKey`
 * for ours): the ticket is created and the process started through its start event in one
 * transaction by the engine, never as a plain ticket that ignores the process.
 */
function processKeyOf(ticket: Data, data: Data): string | undefined {
  return text(ticket.ProcessEntityID) ?? text(ticket.ProcessKey) ?? text(data.ProcessEntityID) ?? text(data.ProcessKey);
}

const person = (c: CustomerRef | undefined) =>
  c?.user ? `"${`${c.user.first_name} ${c.user.last_name}`.trim()}" <${c.user.email}>` : c?.email;

async function create(ctx: OperationContext, access: Access, data: Data): Promise<Data> {
  for (const key of ['Ticket', 'Article']) {
    const v = data[key];
    if (!isObject(v) || !Object.keys(v).length) throw opError(OP, 'MissingParameter', `${key} parameter is missing or not valid!`);
  }
  for (const key of ['DynamicField', 'Attachment']) {
    const v = data[key];
    if (v !== undefined && !isObject(v) && !Array.isArray(v)) throw opError(OP, 'MissingParameter', `${key} parameter is missing or not valid!`);
  }
  const ticket = data.Ticket as Data;
  const processKey = processKeyOf(ticket, data);

  const db = ctx.services.database.db;
  const actor = access.requireActor();
  const byCustomer = actor.kind === 'customer';
  const fields = await readTicketFields(db, OP, ticket, {
    now: ctx.services.now(),
    // Customer users open tickets of their own, in the portal's default queue unless they name one.
    required: byCustomer ? ['Title'] : ['Title', 'CustomerUser', 'Queue', 'State', 'Priority'],
  });
  const input = { ...fields.input } as TicketCreateInput;
  let customer = fields.customer;
  if (byCustomer) {
    if (customer && customer.user?.id !== actor.id) throw opError(OP, 'AccessDenied', 'Customer users can only create tickets for themselves!');
    customer ??= await resolveCustomer(db, actor.login);
    // What the portal sets anyway need not be refused.
    if (input.customerId === actor.customerId) delete input.customerId;
    if (input.lock === false) delete input.lock;
    if (fields.stateType === 'new') delete input.stateId;
  } else if (customer?.user) {
    input.customerUserId = customer.user.id;
  } else if (customer?.email) {
    input.customerId ??= customer.email;
  }
  // OTOBO locks a ticket created for a named owner, unless the request says otherwise.
  if (!byCustomer && input.ownerId !== undefined && input.lock === undefined) input.lock = true;
  if (!byCustomer && input.queueId !== undefined && !(await access.onQueue(input.queueId, 'create'))) {
    throw opError(OP, 'AccessDenied', 'Can not create tickets in given Queue or QueueID!');
  }

  const queue = input.queueId !== undefined ? await db.selectFrom('queues').select('name').where('id', '=', input.queueId).executeTakeFirst() : undefined;
  const article = readArticle(OP, data.Article as Data, { from: person(customer), to: queue?.name });
  const dynamicFields = await readDynamicFields(db, OP, data.DynamicField);
  if (Object.keys(dynamicFields.ticket).length) input.dynamicFields = dynamicFields.ticket;
  if (Object.keys(dynamicFields.article).length) article.dynamicFields = dynamicFields.article;
  const attachments = readAttachments(OP, data.Attachment);
  if (attachments.length) article.attachments = attachments;
  input.article = article;
  check(ticketCreateBody, input, 'request');

  let view: { id: number; number: string };
  if (processKey) {
    let started: { ticketId: number };
    try {
      started = await createProcessTicket(ctx.services, access, processKey, input);
    } catch (e) {
      // An unknown, inactive or unstartable process is a bad parameter in OTOBO's terms.
      if (e instanceof DomainError && e.status < 500 && e.status !== 401 && e.status !== 403) {
        throw opError(OP, 'InvalidParameter', `Ticket->ProcessEntityID parameter is invalid! (${e.message})`);
      }
      throw e;
    }
    const row = await db.selectFrom('tickets').select(['id', 'tn']).where('id', '=', started.ticketId).executeTakeFirstOrThrow();
    view = { id: row.id, number: row.tn };
  } else {
    view = await new TicketService(ctx.services).create(access, input);
  }
  const first = await db.selectFrom('articles').select('id').where('ticket_id', '=', view.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
  const out: Data = { TicketID: s(view.id), TicketNumber: view.number, ArticleID: s(first.id) };
  if (ctx.operation.includeTicketData) {
    const full = await includedTicket(ctx, access, view.id, first.id, attachments.length > 0);
    if (full) out.Ticket = full;
  }
  return out;
}

/**
 * The ticket as OTOBO's `IncludeTicketData` shows it: TicketGet's data with its dynamic fields and
 * `Article` (one object) with the given attachments' contents. Undefined when the caller may
 * create in the queue but not read it.
 */
export async function includedTicket(ctx: OperationContext, access: Access, ticketId: number, articleId: number | undefined, withAttachments: boolean): Promise<Data | undefined> {
  try {
    const ticket = await otoboTicket(ctx.services, access, ticketId, { dynamicFields: true, extended: false });
    if (articleId !== undefined) {
      const [article] = await otoboArticles(ctx.services, access, ticketId, {
        articleId,
        limit: 0,
        order: 'ASC',
        attachments: withAttachments,
        attachmentContents: true,
        htmlBodyAsAttachment: false,
        dynamicFields: true,
      });
      if (article) ticket.Article = article;
    }
    return ticket;
  } catch (e) {
    if (e instanceof NotFound) return undefined;
    throw e;
  }
}
