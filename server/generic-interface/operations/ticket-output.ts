/**
 * A ticket and its articles in OTOBO's TicketGet shape, built from the ticket and article services'
 * views (so the caller sees exactly what the REST API shows: customer users only their portal's
 * view and customer-visible articles). OTOBO conventions: ids and database values as strings,
 * times as `YYYY-MM-DD HH:MM:SS` (UTC), `Age`/`UntilTime` as numbers of seconds, dynamic fields as
 * `[{Name, Value}]`, attachments base64-encoded.
 */
import type { Access } from '../../access/access';
import { agentRepo } from '../../agents/repo';
import { ArticleService } from '../../articles/service';
import type { ArticleView } from '../../articles/view';
import type { DynamicFieldType } from '../../db/schema';
import type { Services } from '../../services';
import { TicketService } from '../../tickets/service';
import type { TicketView } from '../../tickets/view';
import { otoboTime, s, type Data } from '../params';
import { valueToOtobo } from './dynamic-fields';
import { otoboEscalationFields } from '../../sla/otobo';

export interface ArticleOptions {
  /** Most articles (0: all). */
  limit: number;
  order: 'ASC' | 'DESC';
  /** Only these sender types (`agent`, `customer`, `system`). */
  senderTypes?: string[];
  /** Only this article. */
  articleId?: number;
  attachments: boolean;
  attachmentContents: boolean;
  htmlBodyAsAttachment: boolean;
}

export interface TicketOutputOptions {
  dynamicFields: boolean;
  extended: boolean;
  articles?: ArticleOptions;
}

const CHANNEL: Record<string, [string, string]> = {
  email: ['Email', '1'],
  phone: ['Phone', '2'],
  note: ['Internal', '3'],
  internal: ['Internal', '3'],
  portal: ['Internal', '3'],
  chat: ['Chat', '4'],
};
const SENDER_ID: Record<string, string> = { agent: '1', system: '2', customer: '3' };
/** OTOBO's user for changes made by customers and the system (`CustomerPanelUserID`). */
const SYSTEM_USER = '1';

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

type FieldDef = { name: string; field_type: DynamicFieldType; internal: boolean; customer_visible: boolean };

/** The fields shown: internal ones for administrators; customers see the customer-visible ones only. */
async function fieldDefs(services: Services, objectType: 'ticket' | 'article', includeInternal: boolean, customer: boolean): Promise<FieldDef[]> {
  const rows = await services.database.db
    .selectFrom('dynamic_fields')
    .select(['name', 'field_type', 'internal', 'customer_visible'])
    .where('object_type', '=', objectType)
    .where('valid', '=', true)
    .orderBy('name')
    .execute();
  return rows.filter((r) => (includeInternal || !r.internal) && (!customer || r.customer_visible));
}

function fieldList(defs: FieldDef[], values: Record<string, unknown>): Array<{ Name: string; Value: unknown }> {
  return defs.map((d) => ({ Name: d.name, Value: valueToOtobo(d.field_type, values[d.name]) }));
}

/** Facts the ticket view does not carry: group, creator, last changer, SLA targets, first lock, close time. */
async function ticketFacts(services: Services, id: number, extended: boolean) {
  const db = services.database.db;
  const row = await db
    .selectFrom('tickets as t')
    .innerJoin('queues as q', 'q.id', 't.queue_id')
    .leftJoin('slas as sl', 'sl.id', 't.sla_id')
    .select(['q.group_id', 't.created_by_agent_id', 't.owner_id', 't.responsible_id', 'sl.first_response_minutes', 'sl.solution_minutes'])
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow();
  const last = await db
    .selectFrom('ticket_history')
    .select(['actor_kind', 'actor_id'])
    .where('ticket_id', '=', id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let firstLock: Date | undefined;
  let closedAt: Date | undefined;
  let firstResponse: Date | undefined;
  if (extended) {
    firstLock = (await db.selectFrom('ticket_history').select('created_at').where('ticket_id', '=', id).where('type', '=', 'Lock').orderBy('id').limit(1).executeTakeFirst())?.created_at;
    closedAt = (await db.selectFrom('ticket_history').select('created_at').where('ticket_id', '=', id).where('type', '=', 'StateUpdate').orderBy('id', 'desc').limit(1).executeTakeFirst())?.created_at;
    firstResponse = (
      await db
        .selectFrom('articles')
        .select('created_at')
        .where('ticket_id', '=', id)
        .where('sender_type', '=', 'agent')
        .where('visible_for_customer', '=', true)
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
    )?.created_at;
  }
  return {
    groupId: row.group_id,
    ownerId: row.owner_id,
    responsibleId: row.responsible_id,
    createBy: row.created_by_agent_id !== null ? String(row.created_by_agent_id) : SYSTEM_USER,
    changeBy: last?.actor_kind === 'agent' && last.actor_id !== null ? String(last.actor_id) : undefined,
    slaFirstResponse: row.first_response_minutes,
    slaSolution: row.solution_minutes,
    firstLock,
    closedAt,
    firstResponse,
  };
}

/** One article in OTOBO's shape (without dynamic fields and attachments). */
function articleData(a: ArticleView, number: number): Data {
  const [channel, channelId] = CHANNEL[a.channel] ?? ['Internal', '3'];
  const createBy = a.createdBy?.kind === 'agent' ? String(a.createdBy.id) : SYSTEM_USER;
  const time = otoboTime(a.createdAt);
  return {
    ArticleID: s(a.id),
    TicketID: s(a.ticketId),
    ArticleNumber: s(number),
    CommunicationChannel: channel,
    CommunicationChannelID: channelId,
    SenderType: a.senderType,
    SenderTypeID: SENDER_ID[a.senderType] ?? '1',
    IsVisibleForCustomer: a.visibleForCustomer ? '1' : '0',
    From: a.from,
    To: a.to,
    Cc: a.cc,
    Bcc: '',
    ReplyTo: '',
    Subject: a.subject,
    Body: a.bodyText,
    ContentType: `${a.contentType}; charset=utf-8`,
    MimeType: a.contentType,
    Charset: 'utf-8',
    ContentCharset: 'utf-8',
    MessageID: '',
    InReplyTo: '',
    References: '',
    IncomingTime: s(epoch(a.createdAt)),
    CreateTime: time,
    ChangeTime: time,
    CreateBy: createBy,
    ChangeBy: createBy,
    TimeUnit: s(a.timeUnits),
  };
}

/** Every article of the ticket the caller may read, oldest first. */
async function allArticles(services: Services, access: Access, ticketId: number): Promise<ArticleView[]> {
  const svc = new ArticleService(services);
  const out: ArticleView[] = [];
  for (let page = 1; ; page++) {
    const res = await svc.list(access, ticketId, { page, perPage: 500 });
    out.push(...res.items);
    if (out.length >= res.total || !res.items.length) return out;
  }
}

/** The ticket's articles in OTOBO's shape, as TicketGet's options ask. */
export async function otoboArticles(services: Services, access: Access, ticketId: number, opts: ArticleOptions & { dynamicFields: boolean }): Promise<Data[]> {
  const all = await allArticles(services, access, ticketId);
  let chosen = all.map((a, i) => ({ a, number: i + 1 }));
  if (opts.articleId !== undefined) chosen = chosen.filter((x) => x.a.id === opts.articleId);
  if (opts.senderTypes?.length) chosen = chosen.filter((x) => opts.senderTypes!.includes(x.a.senderType));
  if (opts.order === 'DESC') chosen.reverse();
  if (opts.limit > 0) chosen = chosen.slice(0, opts.limit);
  if (!chosen.length) return [];

  const customer = access.actor?.kind === 'customer';
  const defs = opts.dynamicFields ? await fieldDefs(services, 'article', !customer && (await access.isAdmin()), customer) : [];
  const files = opts.attachments
    ? await services.database.db
        .selectFrom('attachments')
        .select(['article_id', 'position', 'filename', 'content_type', 'size', 'inline', 'content_id'])
        .$if(opts.attachmentContents, (q) => q.select('content'))
        .where('article_id', 'in', chosen.map((x) => x.a.id))
        .orderBy('article_id')
        .orderBy('position')
        .execute()
    : [];

  return chosen.map(({ a, number }) => {
    const out = articleData(a, number);
    if (opts.dynamicFields && defs.length) out.DynamicField = fieldList(defs, a.dynamicFields);
    if (!opts.attachments) return out;
    const list: Data[] = files
      .filter((f) => f.article_id === a.id)
      .map((f) => ({
        Content: f.content ? Buffer.from(f.content).toString('base64') : '',
        ContentAlternative: '',
        ContentID: f.content_id ?? '',
        ContentType: f.content_type,
        Disposition: f.inline ? 'inline' : 'attachment',
        FileID: s(f.position),
        Filename: f.filename,
        FilesizeRaw: s(f.size),
      }));
    if (opts.htmlBodyAsAttachment && a.bodyHtml !== null) {
      const html = Buffer.from(a.bodyHtml, 'utf8');
      list.push({
        Content: opts.attachmentContents ? html.toString('base64') : '',
        ContentAlternative: '',
        ContentID: '',
        ContentType: 'text/html; charset="utf-8"',
        Disposition: 'inline',
        FileID: s(list.length + 1),
        Filename: 'file-2',
        FilesizeRaw: s(html.length),
      });
    }
    if (list.length) out.Attachment = list;
    return out;
  });
}

/**
 * OwnerID/Owner and ResponsibleID/Responsible: never empty, as in OTOBO (which reads a missing
 * responsible as user 1). A ticket without one (no responsible named, a ticket older than the
 * default owner) shows the default agent (`agentRepo.defaultAgent`). Customer users get the ids, as OTOBO
 * answers them, but not the agents' logins, which the portal does not show either.
 */
async function people(services: Services, view: TicketView, facts: { ownerId: number | null; responsibleId: number | null }, customer: boolean) {
  const fallback =
    facts.ownerId === null || facts.responsibleId === null ? await agentRepo.defaultAgent(services.database.db) : undefined;
  // With no agent at all (a database nobody has started a server on), OTOBO's user 1.
  const id = (x: number | null) => s(x ?? fallback?.id ?? SYSTEM_USER);
  const login = (x: { login: string } | null, rowId: number | null) => (customer ? '' : (x?.login ?? (rowId === null ? fallback?.login : undefined) ?? ''));
  return {
    OwnerID: id(facts.ownerId),
    Owner: login(view.owner, facts.ownerId),
    ResponsibleID: id(facts.responsibleId),
    Responsible: login(view.responsible, facts.responsibleId),
  };
}

/**
 * Ticket `id` in OTOBO's TicketGet shape for the caller (a `NotFound` when it may not read it).
 * With `articles`, an `Article` list is added when there are any.
 */
export async function otoboTicket(services: Services, access: Access, id: number, opts: TicketOutputOptions): Promise<Data> {
  const view: TicketView = await new TicketService(services).get(access, id);
  const facts = await ticketFacts(services, id, opts.extended);
  const now = services.now();
  const customer = access.actor?.kind === 'customer';
  const who = await people(services, view, facts, customer);
  const pending = view.pendingUntil ? epoch(view.pendingUntil) : 0;
  const out: Data = {
    TicketID: s(view.id),
    TicketNumber: view.number,
    Title: view.title,
    QueueID: s(view.queue.id),
    Queue: view.queue.name,
    StateID: s(view.state.id),
    State: view.state.name,
    StateType: view.state.type,
    PriorityID: s(view.priority.id),
    Priority: view.priority.name,
    TypeID: s(view.type.id),
    Type: view.type.name,
    ServiceID: s(view.service?.id),
    Service: view.service?.name ?? '',
    SLAID: s(view.sla?.id),
    SLA: view.sla?.name ?? '',
    LockID: view.locked ? '2' : '1',
    Lock: view.locked ? 'lock' : 'unlock',
    ...who,
    CustomerID: view.customer?.id ?? '',
    CustomerUserID: view.customerUser?.login ?? '',
    ArchiveFlag: view.archived ? 'y' : 'n',
    Age: Math.max(0, Math.floor((now.getTime() - Date.parse(view.createdAt)) / 1000)),
    Created: otoboTime(view.createdAt),
    CreateBy: facts.createBy,
    Changed: otoboTime(view.changedAt),
    ChangeBy: facts.changeBy ?? facts.createBy,
    UnlockTimeout: '0',
    UntilTime: pending ? pending - Math.floor(now.getTime() / 1000) : 0,
    RealTillTimeNotUsed: s(pending),
    ...(customer ? { EscalationResponseTime: '0', EscalationUpdateTime: '0', EscalationSolutionTime: '0', EscalationTime: '0' } : await otoboEscalationFields(services.database.db, id, now, opts.extended)),
    GroupID: s(facts.groupId),
    TimeUnit: s(view.timeUnits),
  };
  if (opts.extended) {
    out.FirstLock = facts.firstLock ? otoboTime(facts.firstLock) : '';
    out.FirstResponse = facts.firstResponse ? otoboTime(facts.firstResponse) : '';
    if (facts.firstResponse) {
      const inMin = minutesBetween(view.createdAt, facts.firstResponse.toISOString());
      out.FirstResponseInMin = s(inMin);
      if (facts.slaFirstResponse !== null) out.FirstResponseDiffInMin = s(facts.slaFirstResponse - inMin);
    }
    if (view.state.type === 'closed' && facts.closedAt) {
      const inMin = minutesBetween(view.createdAt, facts.closedAt.toISOString());
      out.SolutionInMin = s(inMin);
      if (facts.slaSolution !== null) out.SolutionDiffInMin = s(facts.slaSolution - inMin);
    }
  }
  if (opts.dynamicFields) {
    const defs = await fieldDefs(services, 'ticket', !customer && (await access.isAdmin()), customer);
    if (defs.length) out.DynamicField = fieldList(defs, view.dynamicFields);
  }
  if (opts.articles) {
    const articles = await otoboArticles(services, access, id, { ...opts.articles, dynamicFields: opts.dynamicFields });
    if (articles.length) out.Article = articles;
  }
  return out;
}
