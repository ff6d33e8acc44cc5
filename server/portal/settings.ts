/**
 * The portal's look and switches, kept as one JSON row (`settings.key = 'portal'`): title, welcome
 * text, logo (an uploaded image as a data: URI, since the CSP only allows images from this site),
 * colours, and whether customers may register themselves. Missing keys fall back to the defaults,
 * so a new setting needs no migration.
 *
 * @example
 * const s = await readPortalSettings(db); // { title: 'Help center', registrationEnabled: true, ... }
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { PASSWORD_RULES } from './password-policy';

export interface PortalSettings {
  title: string;
  welcome: string;
  logoUrl: string | null;
  colors: { primary: string; header: string };
  registrationEnabled: boolean;
}

export type PortalSettingsPatch = Partial<Omit<PortalSettings, 'colors'>> & { colors?: Partial<PortalSettings['colors']> };

export const PORTAL_DEFAULTS: PortalSettings = {
  title: 'Help center',
  welcome: 'Open a ticket, follow its progress and answer our questions.',
  logoUrl: null,
  colors: { primary: '#2563eb', header: '#1e293b' },
  registrationEnabled: true,
};

const KEY = 'portal';
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
  },
} as const;

const str = { type: 'string' } as const;
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
  },
} as const;

function merge(base: PortalSettings, patch: PortalSettingsPatch): PortalSettings {
  return { ...base, ...patch, colors: { ...base.colors, ...patch.colors } };
}

export async function readPortalSettings(db: Kysely<DB>): Promise<PortalSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const stored = (typeof row?.value === 'string' ? JSON.parse(row.value) : (row?.value ?? {})) as PortalSettingsPatch;
  return merge(PORTAL_DEFAULTS, stored);
}

/** Applies `patch` under a row lock, so two admins saving at once do not lose each other's keys. */
export async function writePortalSettings(db: Kysely<DB>, patch: PortalSettingsPatch, by: number, now: Date): Promise<PortalSettings> {
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('settings').values({ key: KEY, value: '{}', changed_at: now, changed_by: by }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const row = await trx.selectFrom('settings').select('value').where('key', '=', KEY).forUpdate().executeTakeFirstOrThrow();
    const stored = (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as PortalSettingsPatch;
    const next = { ...stored, ...patch, colors: { ...stored.colors, ...patch.colors } };
    await trx.updateTable('settings').set({ value: JSON.stringify(next), changed_at: now, changed_by: by }).where('key', '=', KEY).execute();
    return merge(PORTAL_DEFAULTS, next);
  });
}

/** The public view: the settings and the password rules. */
export const settingsView = (s: PortalSettings) => ({ ...s, passwordRules: PASSWORD_RULES.map((r) => ({ ...r })) });
