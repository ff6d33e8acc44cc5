/**
 * The small per-entity description the one admin list/edit component is driven by: where the
 * entity lives in the API, which columns the list shows, which fields the form edits (with how a
 * value goes from the API into the form and back), and what may be done (create, delete, search).
 * `body()` builds a create/change body from form values; `fieldOfError()` maps an API error path to
 * the form field it names.
 */
import { request } from '$lib/api';

export type Option = { value: string; label: string };

/** One input of the edit form. */
export interface FormField {
  /** Property in the API body; a dotted path (`config.regex`) for nested ones. */
  key: string;
  label: string;
  kind: 'text' | 'textarea' | 'email' | 'password' | 'number' | 'checkbox' | 'select' | 'multiselect' | 'json' | 'lines' | 'custom';
  /** Choices (select, multiselect): fixed, or loaded from the API. */
  options?: Option[] | (() => Promise<Option[]>);
  required?: boolean;
  /** Shown only when creating (e.g. a customer's id, which cannot change). */
  createOnly?: boolean;
  /** Not sent when empty on change (passwords). */
  keepWhenEmpty?: boolean;
  help?: string;
  /** Rows of a text area. */
  rows?: number;
  /** Value of a new entry. */
  initial?: unknown;
  /** Shown only when this is true for the current form values. */
  when?: (values: Record<string, unknown>) => boolean;
  /** Choices are ids: sent as numbers (select, multiselect). */
  numeric?: boolean;
  /** Empty sends `null` (clears the value) instead of leaving it out (number, select). */
  emptyIsNull?: boolean;
}

export interface Column<Row> {
  label: string;
  value: (row: Row) => string;
  /** Hidden on narrow screens. */
  secondary?: boolean;
}

export interface EntityConfig<Row = Record<string, unknown>> {
  title: string;
  singular: string;
  /** `/api/v1/queues`: GET lists (`{items}`), POST creates, `/{id}` GET/PATCH/DELETE. */
  endpoint: string;
  /** The id in URLs (default `id`). */
  id?: (row: Row) => string | number;
  /** The name shown for an entry. */
  name: (row: Row) => string;
  columns: Column<Row>[];
  fields: FormField[];
  /** The list answers `?search=`. */
  search?: boolean;
  /** Entries can be deleted (the server refuses when something uses them). */
  canDelete?: boolean;
  /** Text above the list. */
  intro?: string;
  /** Last touch on a create/change body before it is sent. */
  finish?: (body: Record<string, unknown>) => Record<string, unknown>;
}

/** Reads a dotted path (`config.regex`) of an object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
}

/** The form's value of a field, from an entry (or the field's initial value for a new one). */
export function formValue(field: FormField, row: unknown): unknown {
  const v = row === null ? field.initial : getPath(row, field.key);
  switch (field.kind) {
    case 'checkbox':
      return v === undefined ? (field.initial ?? false) : v === true;
    case 'multiselect':
      return Array.isArray(v) ? v.map(String) : [];
    case 'json':
      return v === undefined || v === null ? '' : JSON.stringify(v, null, 2);
    case 'custom':
      // An editor of the page's own (a snippet) works on a copy of the value.
      return v === undefined || v === null ? null : JSON.parse(JSON.stringify(v));
    case 'lines':
      // key=Label per line (dropdown values).
      return v && typeof v === 'object' ? Object.entries(v as Record<string, string>).map(([k, l]) => (k === l ? k : `${k}=${l}`)).join('\n') : '';
    default:
      return v === undefined || v === null ? '' : String(v);
  }
}

/** `a=Alpha\nb` → `{ a: 'Alpha', b: 'b' }`. */
export function parseLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const i = t.indexOf('=');
    const key = (i < 0 ? t : t.slice(0, i)).trim();
    out[key] = (i < 0 ? t : t.slice(i + 1)).trim() || key;
  }
  return out;
}

/** A form value that cannot be sent (bad JSON), with the field it belongs to. */
export class FormValueError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API value of a field's form value; `undefined` leaves it out. */
export function apiValue(field: FormField, value: unknown): unknown {
  const v = plainApiValue(field, value);
  if (v === undefined) return field.emptyIsNull ? null : undefined;
  if (!field.numeric) return v;
  return Array.isArray(v) ? v.map(Number) : Number(v);
}

function plainApiValue(field: FormField, value: unknown): unknown {
  switch (field.kind) {
    case 'checkbox':
      return value === true;
    case 'multiselect':
      return Array.isArray(value) ? value : [];
    case 'custom':
      return value === null ? undefined : value;
    case 'number': {
      const text = String(value ?? '').trim();
      return text === '' ? undefined : Number(text);
    }
    case 'json': {
      const text = String(value ?? '').trim();
      if (!text) return undefined;
      try {
        return JSON.parse(text);
      } catch (err) {
        throw new FormValueError(field.key, `not valid JSON: ${(err as Error).message}`);
      }
    }
    case 'lines': {
      const parsed = parseLines(String(value ?? ''));
      return Object.keys(parsed).length ? parsed : undefined;
    }
    default: {
      const text = String(value ?? '');
      return text === '' ? undefined : text;
    }
  }
}

/**
 * The body of a create (every field with a value) or a change (only the fields that changed).
 *
 * @example
 * body(fields, { name: 'Sales', valid: true }, null) // { name: 'Sales', valid: true }
 */
export function body(fields: FormField[], values: Record<string, unknown>, original: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const nested = new Set<string>();
  for (const f of fields) {
    if (f.createOnly && original !== null) continue;
    if (f.when && !f.when(values)) continue;
    const v = apiValue(f, values[f.key]);
    if (original === null) {
      if (v !== undefined) setPath(out, f.key, v);
      continue;
    }
    if (JSON.stringify(v) === JSON.stringify(apiValue(f, formValue(f, original)))) continue;
    // Nested objects (config) are replaced as a whole, below.
    if (f.key.includes('.')) nested.add(f.key.split('.')[0]!);
    else if (v !== undefined) out[f.key] = v;
    else if (!f.keepWhenEmpty && (f.kind === 'text' || f.kind === 'textarea' || f.kind === 'email')) out[f.key] = '';
  }
  for (const top of nested) {
    const whole: Record<string, unknown> = {};
    for (const f of fields.filter((x) => x.key.startsWith(`${top}.`) && (!x.when || x.when(values)))) {
      const v = apiValue(f, values[f.key]);
      if (v !== undefined) setPath(whole, f.key, v);
    }
    out[top] = whole[top] ?? {};
  }
  return out;
}

/** The form field an API error path names (`/name` → `name`, `/config/regex` → `config.regex`, `/groupId` → `group`). */
export function fieldOfError(path: string | undefined, fields: FormField[]): string | undefined {
  if (!path) return undefined;
  const dotted = path.replace(/^\//, '').split('/').join('.');
  const keys = fields.map((f) => f.key);
  for (let p = dotted; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    if (keys.includes(p)) return p;
    const noId = p.replace(/Id$/, '');
    if (keys.includes(noId)) return noId;
  }
  return undefined;
}

const loaded = new Map<string, Promise<Option[]>>();

/** Choices from a catalogue list (`/api/v1/groups` → names), loaded once per page. */
export function namesOf(endpoint: string, label?: (row: Record<string, unknown>) => string): () => Promise<Option[]> {
  return () => {
    let hit = loaded.get(endpoint);
    if (!hit) {
      hit = request<{ items: Array<Record<string, unknown>> }>('GET', `${endpoint}?perPage=1000`).then(({ items }) =>
        items.map((r) => ({ value: String(r.name ?? r.customerId ?? r.login), label: label ? label(r) : String(r.name ?? r.login) })),
      );
      hit.catch(() => loaded.delete(endpoint));
      loaded.set(endpoint, hit);
    }
    return hit;
  };
}

/** Forgets loaded choices (after a change that adds or renames one). */
export function forgetChoices(): void {
  loaded.clear();
}
