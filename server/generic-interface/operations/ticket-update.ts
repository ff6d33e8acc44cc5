/**
 * TicketUpdate: the ticket by `TicketID` or `TicketNumber`; `Ticket` fields (Title, Queue, State,
 * Priority, Type, Service, SLA, Owner, Responsible, CustomerUser, CustomerID, Lock, PendingTime as
 * `{"Diff": minutes}` or `{Year, Month, Day, Hour, Minute}`), an optional new `Article`,
 * `DynamicField` and `Attachment` (on the new article). Everything is applied in ONE transaction
 * through the ticket domain's own functions (lock, `applyChanges`, `addArticle`), each with its
 * permission and history: nothing half-written on error. Answers `TicketID`, `TicketNumber`,
 * `ArticleID` (when one was made), and `Ticket` with `IncludeTicketData`. PUT and PATCH alike.
 */
import type { Access } from '../../access/access';
import { addArticle } from '../../articles/add';
import { prepareArticleBody } from '../../articles/render';
import { articleInput, type ArticleInput } from '../../articles/schema';
import { ValidationFailed } from '../../errors';
import { check } from '../../http/validate';
import { applyChanges, type TicketChanges } from '../../tickets/changes';
import { inTransaction } from '../../tickets/context';
import { lockFor, unlock } from '../../tickets/lock';
import { resolveFields } from '../../tickets/refs';
import { lockTicket, ticketDetails, ticketIdByNumber } from '../../tickets/repo';
import { ticketPatchBody, type TicketPatchInput } from '../../tickets/schema';
import { readableTicket } from '../../tickets/view';
import { opError } from '../envelope';
import { authenticate, type OperationContext, type OperationHandler } from '../operation';
import { idOf, isObject, s, text, type Data } from '../params';
import { readDynamicFields } from './dynamic-fields';
import { toOperationError } from './errors';
import { includedTicket } from './ticket-create';
import { readArticle, readAttachments, readTicketFields } from './ticket-input';

const OP = 'TicketUpdate';
const DENIED = 'User does not have access to the ticket!';

export const ticketUpdate: OperationHandler = async (ctx, data) => {
  if (!Object.keys(data).length) throw opError(OP, 'EmptyRequest', 'The request data is invalid!');
  if (!text(data.TicketID) && !text(data.TicketNumber)) throw opError(OP, 'MissingParameter', 'TicketID or TicketNumber is required!');
  const access = await authenticate(ctx, data, OP, {
    missing: 'UserLogin, CustomerUserLogin or SessionID is required!',
    noPassword: 'Password or SessionID is required!',
    fail: 'User could not be authenticated!',
  });
  try {
    return await update(ctx, access, data);
  } catch (e) {
    throw toOperationError(OP, e, { accessDenied: DENIED });
  }
};

/** A ValidationFailed of a nested input, its path placed under `prefix` (`/article`). */
function checkUnder<T>(schema: object, value: unknown, prefix: string): T {
  try {
    return check<T>(schema, value, 'request');
  } catch (e) {
    if (!(e instanceof ValidationFailed) || !prefix) throw e;
    throw new ValidationFailed(e.message, `${prefix}${e.path ?? ''}`, e.details);
  }
}

async function update(ctx: OperationContext, access: Access, data: Data): Promise<Data> {
  const db = ctx.services.database.db;
  const number = text(data.TicketNumber);
  const id = number !== undefined ? await ticketIdByNumber(db, number) : idOf(data.TicketID);
  if (id === undefined || Number.isNaN(id)) throw opError(OP, 'AccessDenied', DENIED);
  const current = await readableTicket(db, access, id);

  for (const key of ['Ticket', 'Article']) {
    if (data[key] !== undefined && !isObject(data[key])) throw opError(OP, 'InvalidParameter', `${key} parameter is not valid!`);
  }
  for (const key of ['DynamicField', 'Attachment']) {
    const v = data[key];
    if (v !== undefined && !isObject(v) && !Array.isArray(v)) throw opError(OP, 'MissingParameter', `${key} parameter is missing or not valid!`);
  }

  const fields = await readTicketFields(db, OP, (data.Ticket as Data | undefined) ?? {}, {
    now: ctx.services.now(),
    required: [],
    currentStateType: current.state_type,
  });
  const { lock, ...rest } = fields.input;
  const patch: TicketPatchInput = { ...rest };
  if (fields.customer?.user) patch.customerUserId = fields.customer.user.id;
  else if (fields.customer?.email) {
    patch.customerUserId = null;
    patch.customerId ??= fields.customer.email;
  }

  let article: ArticleInput | undefined;
  if (isObject(data.Article) && Object.keys(data.Article).length) {
    const me = access.requireActor();
    const author = me.kind === 'agent'
      ? await db.selectFrom('agents').select(['first_name', 'last_name', 'email']).where('id', '=', me.id).executeTakeFirst()
      : await db.selectFrom('customer_users').select(['first_name', 'last_name', 'email']).where('id', '=', me.id).executeTakeFirst();
    article = readArticle(OP, data.Article, { from: author ? `"${`${author.first_name} ${author.last_name}`.trim()}" <${author.email}>` : undefined });
  }
  const dynamicFields = await readDynamicFields(db, OP, data.DynamicField);
  if (Object.keys(dynamicFields.ticket).length) patch.dynamicFields = dynamicFields.ticket;
  if (Object.keys(dynamicFields.article).length) {
    if (!article) throw opError(OP, 'InvalidParameter', `DynamicField->Name parameter is invalid! (${Object.keys(dynamicFields.article).join(', ')}: article fields need an Article)`);
    article.dynamicFields = dynamicFields.article;
  }
  const attachments = readAttachments(OP, data.Attachment);
  if (attachments.length) {
    if (!article) throw opError(OP, 'InvalidParameter', 'Attachment parameter is invalid! (attachments belong to a new Article)');
    article.attachments = attachments;
  }
  const hasPatch = Object.keys(patch).length > 0;
  if (hasPatch) checkUnder(ticketPatchBody, patch, '');
  if (article) checkUnder(articleInput, article, '/article');

  await prepareArticleBody(article, ctx.services.config.maxArticleBytes); // off the event loop, before the transaction
  const articleId = await inTransaction(ctx.services, access, async (w) => {
    await lockTicket(w.db, id);
    const details = async () => (await ticketDetails(w.db, id))!;
    await w.access.assertTicket(await details(), 'ro');
    if (lock === true) await lockFor(w, await details());
    if (lock === false) await unlock(w, await details());
    if (hasPatch) {
      const changes: TicketChanges = { ...(await resolveFields(w.db, patch)) };
      if (patch.title !== undefined) changes.title = patch.title;
      if (patch.dynamicFields !== undefined) changes.dynamicFields = patch.dynamicFields;
      await applyChanges(w, await details(), changes);
    }
    return article ? addArticle(w, await details(), article, '/article') : undefined;
  });

  const out: Data = { TicketID: s(id), TicketNumber: current.tn };
  if (articleId !== undefined) out.ArticleID = s(articleId);
  if (ctx.operation.includeTicketData) {
    const last = articleId ?? (await db.selectFrom('articles').select('id').where('ticket_id', '=', id).orderBy('id', 'desc').limit(1).executeTakeFirst())?.id;
    const full = await includedTicket(ctx, access, id, last, attachments.length > 0);
    if (full) {
      out.Ticket = full;
      if (last !== undefined) out.ArticleID = s(last);
    }
  }
  return out;
}
