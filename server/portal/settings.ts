/**
 * The portal's look and switches, kept as one JSON row (`settings.key = 'portal'`): title, welcome
 * text, logo (an uploaded image as a data: URI, since the CSP only allows images from this site),
 * colours, whether customers may register themselves, and the queues customers may open tickets
 * in with their default (`customer-queues.ts`; stored by id, given and shown by name). Missing
 * keys fall back to the defaults, so a new setting needs no migration.
 *
 * @example
 * const s = await readPortalSettings(db); // { title: 'Help center', registrationEnabled: true, ... }
 */
import type { Kysely } from 'kysely';
import { resolveQueue } from '../catalog/resolve';
import type { DB } from '../db/schema';
import { BadRequest } from '../errors';
import { FALLBACK_CUSTOMER_QUEUE, type CustomerQueues } from './customer-queues';
import { PASSWORD_RULES } from './password-policy';

export interface PortalSettings {
  title: string;
  welcome: string;
  logoUrl: string | null;
  colors: { primary: string; header: string };
  registrationEnabled: boolean;
  /** The queues offered to customer users (ids); null: never chosen, `Raw` is offered. */
  customerQueueIds: number[] | null;
  /** Where customers' tickets go when they name no queue (an id); null: never chosen (`Raw`). */
  defaultQueueId: number | null;
}

type Stored = Partial<Omit<PortalSettings, 'colors'>> & { colors?: Partial<PortalSettings['colors']> };

/** The body of `PUT /portal/settings`: queues by id or name. */
export type PortalSettingsPatch = Omit<Stored, 'customerQueueIds' | 'defaultQueueId'> & { customerQueues?: Array<number | string>; defaultQueue?: number | string };

export const PORTAL_DEFAULTS: PortalSettings = {
  title: 'Help center',
  welcome: 'Open a ticket, follow its progress and answer our questions.',
  logoUrl: null,
  colors: { primary: '#2563eb', header: '#1e293b' },
  registrationEnabled: true,
  customerQueueIds: null,
  defaultQueueId: null,
};

const KEY = 'portal';
const queueRef = {
  anyOf: [
    { type: 'integer', minimum: 1, maximum: 2147483647 },
    { type: 'string', minLength: 1, maxLength: 200 },
  ],
} as const;
const color = { type: 'string', pattern: '^#[0-9a-fA-F]{6}$', description: 'a colour as #rrggbb' } as const;
const LOGO = '^data:image/(png|jpeg|gif|svg\\+xml|webp);base64,[A-Za-z0-9+/]+={0,2}$';

export const portalSettingsBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 100 },
    welcome: { type: 'string', maxLength: 2000 },
    logoUrl: {
      anyOf: [{ type: 'null' }, { type: 'string', maxLength: 350_000, pattern: LOGO }],
      description: 'null, or an uploaded image as data:image/(png|jpeg|gif|svg+xml|webp);base64,… (at most 256 KiB)',
    },
    colors: { type: 'object', additionalProperties: false, minProperties: 1, properties: { primary: color, header: color } },
    registrationEnabled: { type: 'boolean' },
    customerQueues: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: queueRef,
      description: 'the queues customer users may open tickets in (ids or names); by default Raw',
    },
    defaultQueue: { ...queueRef, description: 'where customer tickets go when the customer names no queue; one of customerQueues (by default Raw)' },
  },
} as const;

const str = { type: 'string' } as const;
const namedQueue = { type: 'object', additionalProperties: false, required: ['id', 'name'], properties: { id: { type: 'integer' }, name: str } } as const;
export const portalSettingsView = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'welcome', 'logoUrl', 'colors', 'registrationEnabled', 'passwordRules'],
  properties: {
    title: str,
    welcome: str,
    logoUrl: { type: ['string', 'null'] },
    colors: { type: 'object', additionalProperties: false, required: ['primary', 'header'], properties: { primary: str, header: str } },
    registrationEnabled: { type: 'boolean' },
    passwordRules: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['id', 'text', 'pattern'], properties: { id: str, text: str, pattern: str } },
    },
    customerQueues: { type: 'array', items: namedQueue, description: 'signed-in callers only: the queues customer users may open tickets in' },
    defaultQueue: { anyOf: [namedQueue, { type: 'null' }], description: 'signed-in callers only: where customer tickets go when they name no queue' },
  },
} as const;

function merge(base: PortalSettings, patch: Stored): PortalSettings {
  return { ...base, ...patch, colors: { ...base.colors, ...patch.colors } };
}

export async function readPortalSettings(db: Kysely<DB>): Promise<PortalSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const stored = (typeof row?.value === 'string' ? JSON.parse(row.value) : (row?.value ?? {})) as Stored;
  return merge(PORTAL_DEFAULTS, stored);
}

/**
 * The queue choice of `body` as ids (400 at `/customerQueues/<i>` or `/defaultQueue` for an
 * unknown or switched-off queue), checked together with what stays stored: the default must be
 * one of the offered queues.
 */
async function queueChoice(trx: Kysely<DB>, body: PortalSettingsPatch, stored: Stored): Promise<Pick<Stored, 'customerQueueIds' | 'defaultQueueId'>> {
  const out: Pick<Stored, 'customerQueueIds' | 'defaultQueueId'> = {};
  const refOf = (v: number | string) => (typeof v === 'number' ? { id: v } : { name: v });
  if (body.customerQueues) {
    const ids: number[] = [];
    for (const [i, v] of body.customerQueues.entries()) ids.push((await resolveQueue(trx, refOf(v), `/customerQueues/${i}`, { requireValid: true })).id);
    out.customerQueueIds = [...new Set(ids)];
  }
  if (body.defaultQueue !== undefined) out.defaultQueueId = (await resolveQueue(trx, refOf(body.defaultQueue), '/defaultQueue', { requireValid: true })).id;
  if (!body.customerQueues && body.defaultQueue === undefined) return out;

  const fallback = async () => (await trx.selectFrom('queues').select('id').where('name', '=', FALLBACK_CUSTOMER_QUEUE).executeTakeFirst())?.id;
  const offered = out.customerQueueIds ?? stored.customerQueueIds ?? [(await fallback()) ?? -1];
  const defaultId = out.defaultQueueId ?? stored.defaultQueueId ?? (await fallback());
  if (defaultId !== undefined && !offered.includes(defaultId)) {
    const name = (await trx.selectFrom('queues').select('name').where('id', '=', defaultId).executeTakeFirst())?.name ?? `id ${defaultId}`;
    throw new BadRequest(
      body.defaultQueue !== undefined
        ? `the default queue "${name}" must be one of the customer queues`
        : `the default queue "${name}" is not among the new customer queues; give defaultQueue as one of them`,
      '/defaultQueue',
      undefined,
      'DEFAULT_QUEUE_NOT_OFFERED',
    );
  }
  return out;
}

/** Applies `patch` under a row lock, so two admins saving at once do not lose each other's keys. */
export async function writePortalSettings(db: Kysely<DB>, body: PortalSettingsPatch, by: number, now: Date): Promise<PortalSettings> {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('settings').values({ key: KEY, value: '{}', changed_at: now, changed_by: by }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const row = await trx.selectFrom('settings').select('value').where('key', '=', KEY).forUpdate().executeTakeFirstOrThrow();
    const stored = (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as Stored;
    const { customerQueues: _queues, defaultQueue: _default, ...patch } = body;
    const next: Stored = { ...stored, ...patch, ...(await queueChoice(trx, body, stored)), colors: { ...stored.colors, ...patch.colors } };
    await trx.updateTable('settings').set({ value: JSON.stringify(next), changed_at: now, changed_by: by }).where('key', '=', KEY).execute();
    return merge(PORTAL_DEFAULTS, next);
  });
}

/** The view: the settings and the password rules; the customer queues only when given (signed-in callers). */
export function settingsView(s: PortalSettings, queues?: CustomerQueues) {
  const { customerQueueIds: _ids, defaultQueueId: _default, ...shown } = s;
  return {
    ...shown,
    passwordRules: PASSWORD_RULES.map((r) => ({ ...r })),
    ...(queues ? { customerQueues: queues.queues, defaultQueue: queues.defaultQueue } : {}),
  };
}
