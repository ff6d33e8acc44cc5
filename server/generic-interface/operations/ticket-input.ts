/**
 * OTOBO's `Ticket`, `Article` and `Attachment` parameters → the REST input of the ticket services
 * (`TicketCreateInput`, `TicketPatchInput`, `ArticleInput`), checked in OTOBO's order with OTOBO's
 * texts (`TicketCreate: Ticket->QueueID or Ticket->Queue parameter is invalid!`). References are
 * resolved through the catalogue's resolver and handed on by id, so the services judge them again
 * exactly as for the REST API.
 */
import { sql, type Kysely } from 'kysely';
import { attachmentInput, type ArticleInput, type AttachmentInput } from '../../articles/schema';
import {
  resolveAgent,
  resolvePriority,
  resolveQueue,
  resolveService,
  resolveSla,
  resolveState,
  resolveType,
  type Ref,
} from '../../catalog/resolve';
import type { ArticleChannel, DB, SenderType } from '../../db/schema';
import { BadRequest } from '../../errors';
import { isPendingType } from '../../tickets/refs';
import type { TicketFieldsInput } from '../../tickets/schema';
import { opError } from '../envelope';
import { idOf, isObject, parseOtoboTime, str, text, type Data } from '../params';

type Db = Kysely<DB>;

// ---- references --------------------------------------------------------------------------------------

type Resolver = (db: Db, ref: Ref, path: string, opts: { requireValid: boolean }) => Promise<{ id: number }>;

interface RefSpec {
  /** OTOBO's parameter names: `Queue` and `QueueID`. */
  name: string;
  idName: string;
  /** Our input keys: `queue` / `queueId`. */
  key: keyof TicketFieldsInput & string;
  resolve: Resolver;
}

const REFS: RefSpec[] = [
  { name: 'Queue', idName: 'QueueID', key: 'queue', resolve: resolveQueue },
  { name: 'Type', idName: 'TypeID', key: 'type', resolve: resolveType },
  { name: 'Service', idName: 'ServiceID', key: 'service', resolve: resolveService },
  { name: 'SLA', idName: 'SLAID', key: 'sla', resolve: resolveSla },
  { name: 'State', idName: 'StateID', key: 'state', resolve: resolveState },
  { name: 'Priority', idName: 'PriorityID', key: 'priority', resolve: resolvePriority },
  { name: 'Owner', idName: 'OwnerID', key: 'owner', resolve: resolveAgent },
  { name: 'Responsible', idName: 'ResponsibleID', key: 'responsible', resolve: resolveAgent },
];

/** Whether the ticket data names the reference (by name or id). */
export function names(ticket: Data, name: string): boolean {
  return text(ticket[name]) !== undefined || (ticket[`${name}ID`] !== undefined && ticket[`${name}ID`] !== null && ticket[`${name}ID`] !== '');
}

/**
 * Resolves one reference of `ticket` (by id when given, else by name) to its id; undefined when
 * absent. A bad one is `<Op>.InvalidParameter` with OTOBO's text and the reason.
 */
async function resolveRef(db: Db, op: string, ticket: Data, spec: RefSpec): Promise<number | undefined> {
  if (!names(ticket, spec.name)) return undefined;
  const label = `Ticket->${spec.idName} or Ticket->${spec.name} parameter is invalid!`;
  const id = idOf(ticket[spec.idName]);
  if (id !== undefined && Number.isNaN(id)) throw opError(op, 'InvalidParameter', label);
  try {
    const ref: Ref = id !== undefined ? { id } : { name: text(ticket[spec.name])! };
    return (await spec.resolve(db, ref, `/${spec.key}`, { requireValid: true })).id;
  } catch (e) {
    if (e instanceof BadRequest) throw opError(op, 'InvalidParameter', `${label} (${e.message})`);
    throw e;
  }
}

// ---- customer user -------------------------------------------------------------------------------------

export interface CustomerRef {
  /** A known customer user … */
  user?: { id: number; login: string; customer_id: string; first_name: string; last_name: string; email: string };
  /** … or an e-mail address of someone who is not one (OTOBO accepts those). */
  email?: string;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** `CustomerUser` by login, else by e-mail address; an unknown but valid address is kept as such. */
export async function resolveCustomer(db: Db, value: string): Promise<CustomerRef | undefined> {
  const cols = ['id', 'login', 'customer_id', 'first_name', 'last_name', 'email', 'valid'] as const;
  const byLogin = await db.selectFrom('customer_users').select(cols).where('login', '=', value).executeTakeFirst();
  const user =
    byLogin ??
    (await db.selectFrom('customer_users').select(cols).where(sql`lower(email)`, '=', value.toLowerCase()).orderBy('id').executeTakeFirst());
  if (user) return user.valid ? { user } : undefined;
  return EMAIL.test(value) ? { email: value } : undefined;
}

// ---- pending time ----------------------------------------------------------------------------------------

/**
 * OTOBO's `PendingTime`: `{"Diff": minutes}`, or `{Year, Month, Day, Hour, Minute}` (UTC); an
 * OTOBO or ISO time string is accepted too. Undefined when it is not one of these.
 */
export function pendingTime(raw: unknown, now: Date): string | undefined {
  if (typeof raw === 'string') return parseOtoboTime(raw);
  if (!isObject(raw)) return undefined;
  const keys = Object.keys(raw);
  if ('Diff' in raw) {
    const diff = str(raw.Diff);
    if (keys.length !== 1 || !diff || !/^\d{1,9}$/.test(diff)) return undefined;
    return new Date(now.getTime() + Number(diff) * 60_000).toISOString();
  }
  const part = (k: string, min: number, max: number, dflt?: number): number | undefined => {
    const v = raw[k] === undefined ? dflt : Number(str(raw[k]));
    return v !== undefined && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
  };
  const [y, mo, d, h, mi, se] = [part('Year', 1970, 9999), part('Month', 1, 12), part('Day', 1, 31), part('Hour', 0, 23, 0), part('Minute', 0, 59, 0), part('Second', 0, 59, 0)];
  if ([y, mo, d, h, mi, se].some((v) => v === undefined)) return undefined;
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, se!));
  return date.getUTCDate() === d ? date.toISOString() : undefined;
}

// ---- ticket fields -----------------------------------------------------------------------------------------

export interface TicketFields {
  input: TicketFieldsInput & { title?: string; lock?: boolean };
  customer?: CustomerRef;
  /** The state's type when the data names a state (to decide about the pending time). */
  stateType?: string;
}

/** `Lock`/`LockID` → whether to lock; undefined when absent; throws when invalid. */
export function lockOf(op: string, ticket: Data): boolean | undefined {
  const lock = text(ticket.Lock);
  const lockId = str(ticket.LockID);
  if (lock === undefined && (lockId === undefined || lockId === '')) return undefined;
  const value = lock ?? { '1': 'unlock', '2': 'lock', '3': 'tmp_lock' }[lockId!];
  if (value === 'lock' || value === 'tmp_lock') return true;
  if (value === 'unlock') return false;
  throw opError(op, 'InvalidParameter', 'Ticket->LockID or Ticket->Lock parameter is invalid!');
}

/**
 * Reads the `Ticket` parameter of TicketCreate (`create`) or TicketUpdate: references resolved,
 * customer user looked up, pending time converted (kept only for pending states, as OTOBO does).
 * `required` names what must be there (OTOBO's MissingParameter texts).
 */
export async function readTicketFields(db: Db, op: string, ticket: Data, opts: { now: Date; required: Array<'Title' | 'CustomerUser' | 'Queue' | 'State' | 'Priority'>; currentStateType?: string }): Promise<TicketFields> {
  const out: TicketFields = { input: {} };
  const need = new Set(opts.required);
  const missing = (n: string) => opError(op, 'MissingParameter', n);

  if (ticket.Title !== undefined) {
    const title = str(ticket.Title);
    if (title === undefined || (title === '' && need.has('Title'))) throw need.has('Title') ? missing('Ticket->Title parameter is missing!') : opError(op, 'InvalidParameter', 'Ticket->Title parameter is invalid!');
    if (title !== '') out.input.title = title;
  } else if (need.has('Title')) throw missing('Ticket->Title parameter is missing!');

  const customer = text(ticket.CustomerUser);
  if (!customer && need.has('CustomerUser')) throw missing('Ticket->CustomerUser parameter is missing!');
  if (customer) {
    out.customer = await resolveCustomer(db, customer);
    if (!out.customer) throw opError(op, 'InvalidParameter', 'Ticket->CustomerUser parameter is invalid!');
  }
  const customerId = text(ticket.CustomerID);
  if (customerId !== undefined) out.input.customerId = customerId;

  for (const spec of REFS) {
    if (need.has(spec.name as 'Queue') && !names(ticket, spec.name)) {
      throw missing(`Ticket->${spec.idName} or Ticket->${spec.name} parameter is required!`);
    }
    const id = await resolveRef(db, op, ticket, spec);
    if (id !== undefined) (out.input as Record<string, unknown>)[`${spec.key}Id`] = id;
    if (spec.key === 'queue') {
      const lock = lockOf(op, ticket);
      if (lock !== undefined) out.input.lock = lock;
    }
  }

  if (out.input.stateId !== undefined) {
    const st = await resolveState(db, { id: out.input.stateId }, '/stateId');
    out.stateType = st.type_name;
  }
  if (ticket.PendingTime !== undefined && ticket.PendingTime !== null && ticket.PendingTime !== '') {
    const at = pendingTime(ticket.PendingTime, opts.now);
    if (!at) throw opError(op, 'InvalidParameter', 'Ticket->PendingTime parameter is invalid!');
    if (isPendingType(out.stateType ?? opts.currentStateType ?? '')) out.input.pendingUntil = at;
  }
  return out;
}

// ---- article ----------------------------------------------------------------------------------------------

const CHANNELS: Record<string, ArticleChannel> = { email: 'email', phone: 'phone', internal: 'note', note: 'note', chat: 'chat', portal: 'portal' };
const CHANNEL_IDS: Record<string, ArticleChannel> = { '1': 'email', '2': 'phone', '3': 'note', '4': 'chat' };
const SENDERS: Record<string, SenderType> = { agent: 'agent', system: 'system', customer: 'customer' };
const SENDER_IDS: Record<string, SenderType> = { '1': 'agent', '2': 'system', '3': 'customer' };

const MIME = /^[A-Za-z0-9][\w.+-]*\/[\w.+-]+$/;
const CHARSET = /^[\w.:-]{1,40}$/;

/** `text/plain; charset=utf-8` → its MIME type (lower case), or undefined when malformed. */
export function mimeOf(contentType: string): string | undefined {
  const [type, ...params] = contentType.split(';').map((p) => p.trim());
  if (!type || !MIME.test(type)) return undefined;
  for (const p of params) if (p && !/^[\w.+-]+=("?)[^";]*\1$/.test(p)) return undefined;
  return type.toLowerCase();
}

export interface ArticleDefaults {
  /** From when the client gives none. */
  from?: string;
  /** To when the client gives none. */
  to?: string;
}

/**
 * Reads the `Article` parameter (OTOBO's `_CheckArticle` order and texts): Subject and Body,
 * communication channel, sender type, ContentType or MimeType (+ Charset), time units.
 * Visible for the customer unless `IsVisibleForCustomer` is 0, as OTOBO's operations default.
 */
export function readArticle(op: string, a: Data, defaults: ArticleDefaults = {}): ArticleInput {
  for (const key of ['Subject', 'Body']) {
    if (!text(a[key])) throw opError(op, 'MissingParameter', `Article->${key} parameter is missing!`);
  }
  const invalid = (t: string) => opError(op, 'InvalidParameter', t);

  let channel: ArticleChannel = 'note';
  const channelName = text(a.CommunicationChannel);
  const channelId = str(a.CommunicationChannelID);
  if (channelName !== undefined || (channelId !== undefined && channelId !== '')) {
    const c = channelName !== undefined ? CHANNELS[channelName.toLowerCase()] : CHANNEL_IDS[channelId!];
    if (!c) throw invalid('Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!');
    channel = c;
  }

  let senderType: SenderType | undefined;
  const senderName = text(a.SenderType);
  const senderId = str(a.SenderTypeID);
  if (senderName !== undefined || (senderId !== undefined && senderId !== '')) {
    senderType = senderName !== undefined ? SENDERS[senderName.toLowerCase()] : SENDER_IDS[senderId!];
    if (!senderType) throw invalid('Article->SenderTypeID or Ticket->SenderType parameter is invalid!');
  }

  const contentType = text(a.ContentType);
  const mimeType = text(a.MimeType);
  const charset = text(a.Charset);
  if (!contentType && !mimeType && !charset) {
    throw opError(op, 'MissingParameter', 'Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!');
  }
  if (charset && !mimeType && !contentType) throw opError(op, 'MissingParameter', 'Article->MimeType is required!');
  if (charset && !CHARSET.test(charset)) throw invalid('Article->Charset is invalid!');
  let mime: string | undefined;
  if (mimeType) {
    if (!MIME.test(mimeType)) throw invalid('Article->MimeType is invalid!');
    mime = mimeType.toLowerCase();
  }
  if (contentType) {
    const m = mimeOf(contentType);
    if (!m) throw invalid('Article->ContentType is invalid!');
    mime ??= m;
  }

  const out: ArticleInput = {
    channel,
    subject: str(a.Subject)!,
    body: typeof a.Body === 'string' ? a.Body : String(a.Body),
    contentType: mime === 'text/html' ? 'text/html' : 'text/plain',
  };
  if (senderType) out.senderType = senderType;
  const visible = a.IsVisibleForCustomer;
  out.visibleForCustomer = visible === undefined || visible === null || visible === '' ? true : !(visible === 0 || visible === '0' || visible === false);

  const from = a.From === undefined ? defaults.from : str(a.From);
  const to = a.To === undefined ? defaults.to : str(a.To);
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  const cc = str(a.Cc);
  if (cc !== undefined) out.cc = cc;

  if (a.TimeUnit !== undefined && a.TimeUnit !== null && a.TimeUnit !== '') {
    const units = Number(str(a.TimeUnit)?.replace(',', '.'));
    if (!Number.isFinite(units) || units < 0) throw invalid('Article->TimeUnit parameter is invalid!');
    if (units > 0) out.timeUnits = units;
  }
  return out;
}

// ---- attachments --------------------------------------------------------------------------------------------

const FILENAME = new RegExp(attachmentInput.properties.filename.pattern);
const CONTENT_TYPE = new RegExp(attachmentInput.properties.contentType.pattern);

/** `Attachment` (one object or a list) → the article's attachments, checked with OTOBO's texts. */
export function readAttachments(op: string, raw: unknown): AttachmentInput[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.length || !list.every(isObject)) throw opError(op, 'MissingParameter', 'Attachment parameter is missing or not valid!');
  return (list as Data[]).map((att) => {
    for (const key of ['Content', 'ContentType', 'Filename']) {
      if (!text(att[key])) throw opError(op, 'MissingParameter', `Attachment->${key} parameter is missing!`);
    }
    const contentType = text(att.ContentType)!;
    if (contentType.length > 200 || !CONTENT_TYPE.test(contentType)) throw opError(op, 'InvalidParameter', 'Attachment->ContentType is invalid!');
    const filename = text(att.Filename)!;
    if (filename.length > 255 || !FILENAME.test(filename)) throw opError(op, 'InvalidParameter', 'Attachment->Filename is invalid!');
    const out: AttachmentInput = { filename, contentType: contentType.toLowerCase(), contentBase64: String(att.Content) };
    if (text(att.Disposition)?.toLowerCase() === 'inline') out.inline = true;
    const cid = text(att.ContentID);
    if (cid) out.contentId = cid.slice(0, 250);
    return out;
  });
}
