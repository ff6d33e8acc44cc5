/**
 * What the dialog renderer needs beyond the dialog itself: the choices of picker fields (queues,
 * states, priorities, types, services, SLAs, agents, customer users — from the catalogue API, loaded
 * once per page), the type and label of fields a bare definition names (a start dialog), initial
 * values from defaults, the value each input sends, and which field a server error is about.
 */
import { request } from '$lib/api';
import type { DialogFieldView, DialogView } from './api';
import { fieldStates, type Display, type FieldState } from '$lib/engine';

export type Option = { value: string; label: string };

/** Ticket fields a dialog may show: their input kind and default label (as the server's dialogs know them). */
export const TICKET_FIELDS: Record<string, { type: string; label: string }> = {
  Title: { type: 'text', label: 'Title' },
  Queue: { type: 'queue', label: 'Queue' },
  State: { type: 'state', label: 'State' },
  Priority: { type: 'priority', label: 'Priority' },
  Type: { type: 'type', label: 'Type' },
  Service: { type: 'service', label: 'Service' },
  SLA: { type: 'sla', label: 'SLA' },
  Owner: { type: 'agent', label: 'Owner' },
  Responsible: { type: 'agent', label: 'Responsible' },
  CustomerUser: { type: 'customerUser', label: 'Customer user' },
  CustomerID: { type: 'text', label: 'Customer' },
  PendingTime: { type: 'datetime', label: 'Pending until' },
  Article: { type: 'article', label: 'Article' },
};

const DF = 'DynamicField_';

/** The catalogue list behind each picker type. */
const CATALOGUE: Record<string, string> = {
  queue: '/api/v1/queues',
  state: '/api/v1/states',
  priority: '/api/v1/priorities',
  type: '/api/v1/types',
  service: '/api/v1/services',
  sla: '/api/v1/slas',
};

/** Picker types whose choices come from the API. */
export const PICKER_TYPES = new Set([...Object.keys(CATALOGUE), 'agent']);

const cache = new Map<string, Promise<Option[]>>();

/**
 * The choices of a picker type (valid entries, by name), loaded once and shared by every form.
 *
 * @example
 * const queues = await optionsFor('queue'); // [{ value: 'Misc', label: 'Misc' }, ...]
 */
export function optionsFor(type: string): Promise<Option[]> {
  let hit = cache.get(type);
  if (!hit) {
    hit = loadOptions(type);
    hit.catch(() => cache.delete(type));
    cache.set(type, hit);
  }
  return hit;
}

async function loadOptions(type: string): Promise<Option[]> {
  if (type === 'agent') {
    const { items } = await request<{ items: Array<{ login: string; name: string }> }>('GET', '/api/v1/agents?valid=true&perPage=1000');
    return items.map((a) => ({ value: a.login, label: `${a.name} (${a.login})` }));
  }
  const url = CATALOGUE[type];
  if (!url) return [];
  const { items } = await request<{ items: Array<{ name: string }> }>('GET', `${url}?valid=true&perPage=1000`);
  return items.map((i) => ({ value: i.name, label: i.name })).sort((a, b) => a.label.localeCompare(b.label));
}

/** Customer users whose login, name or email contains `search` (for the customer-user picker). */
export async function searchCustomerUsers(search: string): Promise<Option[]> {
  const q = new URLSearchParams({ valid: 'true', perPage: '20', ...(search ? { search } : {}) });
  const { items } = await request<{ items: Array<{ login: string; name: string; customerId: string }> }>('GET', `/api/v1/customer-users?${q}`);
  return items.map((u) => ({ value: u.login, label: `${u.name} <${u.customerId}>` }));
}

interface DynamicFieldDef {
  name: string;
  label: string;
  fieldType: string;
  config: { possibleValues?: Record<string, string>; defaultValue?: unknown };
}

/**
 * Fills in the type, label and allowed values of a dialog built from a bare definition (a start
 * dialog): ticket fields from their kind, dynamic fields from their definitions.
 */
export async function resolveDialog(dialog: DialogView): Promise<DialogView> {
  const names = dialog.fields.filter((f) => f.field.startsWith(DF)).map((f) => f.field.slice(DF.length));
  const defs = new Map<string, DynamicFieldDef>();
  if (names.length) {
    const { items } = await request<{ items: DynamicFieldDef[] }>('GET', '/api/v1/dynamic-fields?perPage=1000');
    for (const d of items) defs.set(d.name, d);
  }
  const fields = dialog.fields.map((f): DialogFieldView => {
    if (f.field.startsWith(DF)) {
      const def = defs.get(f.field.slice(DF.length));
      const pv = def?.config.possibleValues;
      return {
        ...f,
        label: f.label || def?.label || f.field.slice(DF.length),
        type: f.type || def?.fieldType || 'text',
        ...(pv ? { allowedValues: Object.entries(pv).map(([value, label]) => ({ value, label })) } : {}),
      };
    }
    const tf = TICKET_FIELDS[f.field];
    return { ...f, label: f.label || tf?.label || f.field, type: f.type || tf?.type || 'text' };
  });
  return { ...dialog, fields };
}

/** An article field's value. */
export interface ArticleValue {
  subject: string;
  body: string;
}

/** `2026-05-04T10:30:00Z` → `2026-05-04T12:30` (local time, for `<input type="datetime-local">`). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value an input starts with: the field's default in the input's own shape. */
export function initialValue(f: DialogFieldView): unknown {
  const d = f.default;
  switch (f.type) {
    case 'article':
      return { subject: '', body: typeof d === 'string' ? d : '' } satisfies ArticleValue;
    case 'checkbox':
      return d === true || d === 1 || d === '1' || d === 'true';
    case 'multiselect':
      return Array.isArray(d) ? d.map(String) : d !== undefined ? [String(d)] : [];
    case 'datetime':
      return typeof d === 'string' ? toLocalInput(d) : '';
    default:
      return d === undefined || d === null ? '' : String(d);
  }
}

/**
 * The value sent for a field, or `undefined` for an empty input (so the server judges what is
 * missing): integers as numbers, date-times in ISO 8601, articles as `{subject, body}`.
 */
export function payloadValue(f: DialogFieldView, value: unknown): unknown {
  switch (f.type) {
    case 'article': {
      const a = value as ArticleValue;
      if (!a.body.trim() && !a.subject.trim()) return undefined;
      return { ...(a.subject.trim() ? { subject: a.subject.trim() } : {}), body: a.body };
    }
    case 'checkbox':
      return value === true;
    case 'multiselect':
      return Array.isArray(value) && value.length ? value : undefined;
    case 'integer': {
      const text = String(value ?? '').trim();
      if (!text) return undefined;
      const n = Number(text);
      return Number.isInteger(n) ? n : text;
    }
    case 'datetime': {
      const text = String(value ?? '');
      if (!text) return undefined;
      const d = new Date(text);
      return Number.isNaN(d.getTime()) ? text : d.toISOString();
    }
    default: {
      const text = String(value ?? '');
      return text.trim() ? text : undefined;
    }
  }
}

/**
 * Which fields of a dialog are visible and mandatory for the form's values, by its field rules —
 * the engine's evaluator, the same the server checks a submission with.
 *
 * @example
 * formStates(dialog, values).DynamicField_Model; // { visible: false, required: false }
 */
export function formStates(dialog: Pick<DialogView, 'fields' | 'rules' | 'hiddenValues'>, values: Record<string, unknown>): Record<string, FieldState> {
  const fields = [
    ...dialog.fields.map((f) => ({ field: f.field, display: (f.mandatory ? 'mandatory' : 'shown') as Display })),
    ...Object.entries(dialog.hiddenValues ?? {}).map(([field, v]) => ({ field, display: 'hidden' as Display, default: v as string })),
  ];
  const current: Record<string, unknown> = {};
  for (const f of dialog.fields) current[f.field] = payloadValue(f, values[f.field]);
  return fieldStates({ fields, ...(dialog.rules ? { rules: dialog.rules } : {}) }, current);
}

/** The ticket properties of `POST /tickets` that start-dialog fields stand for (`/ticket/queue` → `Queue`). */
const TICKET_PROPS: Record<string, string> = {
  title: 'Title', queue: 'Queue', state: 'State', priority: 'Priority', type: 'Type', service: 'Service', sla: 'SLA',
  owner: 'Owner', responsible: 'Responsible', customerUser: 'CustomerUser', customerId: 'CustomerID', pendingUntil: 'PendingTime', article: 'Article',
};

/**
 * The dialog field a server error names, if any: `/fields/DynamicField_X` → `DynamicField_X`,
 * `/fields/Article/body` → `Article`, `/ticket/queueId` → `Queue`.
 *
 * @example
 * fieldOfPath('/fields/Article/body', ['Article']) // 'Article'
 */
export function fieldOfPath(path: string | undefined, fields: string[]): string | undefined {
  if (!path) return undefined;
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'fields' && parts[1] && fields.includes(parts[1])) return parts[1];
  if (parts[0] === 'ticket' && parts[1]) {
    const name = TICKET_PROPS[parts[1].replace(/Id$/, '')];
    if (name && fields.includes(name)) return name;
  }
  return undefined;
}
