/**
 * Admin-managed mail texts (answer templates, salutations, signatures) and each queue's mail
 * settings (system address, salutation, signature), and what the reply form starts from: the
 * queue's From, the ticket hook, and the salutation and signature rendered for the ticket and agent.
 */
import type { Kysely } from 'kysely';
import type { DB, MailTextKind } from '../db/schema';
import { BadRequest, Conflict, NotFound } from '../errors';
import { checkHeaderText, parseAddresses } from './address';
import type { MailOutConfig } from './config';
import { renderForTicket } from './render';
import { ticketHook } from './ticket-mail';

export interface MailTextInput {
  kind: MailTextKind;
  name: string;
  subject?: string;
  body: string;
  contentType?: 'text/plain' | 'text/html';
  comment?: string;
  valid?: boolean;
}

const textView = (r: { id: number; kind: MailTextKind; name: string; subject: string; body: string; content_type: 'text/plain' | 'text/html'; comment: string; valid: boolean }) => ({
  id: r.id, kind: r.kind, name: r.name, subject: r.subject, body: r.body, contentType: r.content_type, comment: r.comment, valid: r.valid,
});

const unique = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

export async function listMailTexts(db: Kysely<DB>, kind?: MailTextKind, validOnly = false) {
  const rows = await db.selectFrom('mail_texts').selectAll().$if(kind !== undefined, (q) => q.where('kind', '=', kind!)).$if(validOnly, (q) => q.where('valid', '=', true)).orderBy('kind').orderBy('name').execute();
  return { items: rows.map(textView) };
}

/** A mail text by kind and name (for `SendEmail`'s `template`). */
export async function mailTextByName(db: Kysely<DB>, kind: MailTextKind, name: string) {
  const r = await db.selectFrom('mail_texts').selectAll().where('kind', '=', kind).where('name', '=', name).where('valid', '=', true).executeTakeFirst();
  return r ? textView(r) : undefined;
}

export async function saveMailText(db: Kysely<DB>, id: number | null, input: MailTextInput, now: Date) {
  if (input.subject !== undefined) checkHeaderText(input.subject, '/subject');
  if (!input.name.trim()) throw new BadRequest('is empty', '/name', undefined, 'VALIDATION_FAILED');
  const values = {
    kind: input.kind,
    name: input.name.trim(),
    subject: input.subject ?? '',
    body: input.body,
    content_type: input.contentType ?? 'text/plain',
    comment: input.comment ?? '',
    valid: input.valid ?? true,
    changed_at: now,
  };
  try {
    const row = id === null
      ? await db.insertInto('mail_texts').values({ ...values, created_at: now }).returningAll().executeTakeFirstOrThrow()
      : await db.updateTable('mail_texts').set(values).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new NotFound('mail text');
    return textView(row);
  } catch (e) {
    if (unique(e)) throw new Conflict(`there is already a ${input.kind} named "${input.name.trim()}"`, '/name', 'NAME_TAKEN');
    throw e;
  }
}

export async function deleteMailText(db: Kysely<DB>, id: number): Promise<void> {
  const r = await db.deleteFrom('mail_texts').where('id', '=', id).executeTakeFirst();
  if (!r.numDeletedRows) throw new NotFound('mail text');
}

export async function listQueueMail(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('queues as q')
    .leftJoin('queue_mail_settings as s', 's.queue_id', 'q.id')
    .select(['q.id', 'q.name', 's.system_address', 's.salutation_id', 's.signature_id'])
    .orderBy('q.name')
    .execute();
  return { items: rows.map((r) => ({ queueId: r.id, queue: r.name, systemAddress: r.system_address, salutationId: r.salutation_id, signatureId: r.signature_id })) };
}

export async function saveQueueMail(db: Kysely<DB>, queueId: number, input: { systemAddress?: string | null; salutationId?: number | null; signatureId?: number | null }) {
  const q = await db.selectFrom('queues').select('id').where('id', '=', queueId).executeTakeFirst();
  if (!q) throw new NotFound('queue');
  if (input.systemAddress) {
    const list = parseAddresses(input.systemAddress, '/systemAddress');
    if (list.length !== 1) throw new BadRequest('give exactly one address', '/systemAddress', undefined, 'INVALID_ADDRESS');
  }
  for (const [key, kind] of [['salutationId', 'salutation'], ['signatureId', 'signature']] as const) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    const t = await db.selectFrom('mail_texts').select('kind').where('id', '=', v).executeTakeFirst();
    if (!t || t.kind !== kind) throw new BadRequest(`there is no ${kind} with id ${v}`, `/${key}`, undefined, 'MISSING_REFERENCE');
  }
  const values = {
    ...(input.systemAddress !== undefined ? { system_address: input.systemAddress?.trim() || null } : {}),
    ...(input.salutationId !== undefined ? { salutation_id: input.salutationId } : {}),
    ...(input.signatureId !== undefined ? { signature_id: input.signatureId } : {}),
  };
  await db
    .insertInto('queue_mail_settings')
    .values({ queue_id: queueId, system_address: null, salutation_id: null, signature_id: null, ...values })
    .onConflict((oc) => (Object.keys(values).length ? oc.column('queue_id').doUpdateSet(values) : oc.column('queue_id').doNothing()))
    .execute();
  return (await listQueueMail(db)).items.find((i) => i.queueId === queueId)!;
}

/** What the reply form of ticket `ticketId` starts with, for agent `agentId`. */
export async function mailDefaults(db: Kysely<DB>, cfg: MailOutConfig, ticketId: number, agentId: number) {
  const t = await db.selectFrom('tickets').select(['queue_id', 'tn']).where('id', '=', ticketId).executeTakeFirst();
  if (!t) throw new NotFound('ticket');
  const s = await db.selectFrom('queue_mail_settings').selectAll().where('queue_id', '=', t.queue_id).executeTakeFirst();
  // A queue without its own salutation / signature uses the shipped standard ones (as OTRS assigns them).
  const text = async (id: number | null | undefined, kind: 'salutation' | 'signature') => {
    const q = db.selectFrom('mail_texts').select('body').where('valid', '=', true).where('kind', '=', kind);
    const r = await (id ? q.where('id', '=', id) : q.where('name', '=', `system standard ${kind}`)).executeTakeFirst();
    return r?.body;
  };
  const salutation = await text(s?.salutation_id, 'salutation');
  const signature = await text(s?.signature_id, 'signature');
  const render = (text: string | null | undefined) => (text ? renderForTicket(db, ticketId, text, { agentId }) : Promise.resolve(''));
  return { from: s?.system_address || cfg.from, hook: ticketHook(cfg, t.tn), salutation: await render(salutation), signature: await render(signature) };
}
