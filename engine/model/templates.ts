/**
 * Templates in process texts: `{{ticket.title}}`, `{{ticket.dynamicFields.Approved}}`,
 * `{{customer.email}}`, `{{owner.fullName}}`, `{{vars.days}}`, `{{process.name}}`.
 * Parse, validate, list references, and render against a context: all pure.
 */
import { DYNAMIC_FIELD_NAME } from './fields';

/** The properties each template root offers (`vars` takes any variable name). */
export const TEMPLATE_ROOTS: Readonly<Record<string, readonly string[] | 'any'>> = {
  ticket: [
    'id', 'number', 'title', 'queue', 'state', 'stateType', 'priority', 'type', 'owner', 'responsible',
    'customerUser', 'customerId', 'service', 'sla', 'lock', 'pendingTime', 'created', 'changed', 'dynamicFields',
  ],
  customer: ['login', 'email', 'firstName', 'lastName', 'fullName', 'customerId', 'phone'],
  owner: ['login', 'email', 'firstName', 'lastName', 'fullName'],
  responsible: ['login', 'email', 'firstName', 'lastName', 'fullName'],
  vars: 'any',
  process: ['key', 'name', 'version'],
};

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'ref'; path: string[]; raw: string; offset: number };

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** Sentences saying what is wrong; empty when the template is fine. */
  errors: string[];
}

const PATH_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*$/;

/**
 * True when the text contains a template placeholder.
 *
 * @example
 * hasTemplate('Dear {{customer.firstName}}'); // true
 */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/**
 * Splits a template into text and references, and checks each reference.
 *
 * @example
 * parseTemplate('Hello {{customer.firstName}}').parts;
 * // [{ kind: 'text', text: 'Hello ' }, { kind: 'ref', path: ['customer', 'firstName'], raw: '{{customer.firstName}}', offset: 6 }]
 * parseTemplate('{{ticket.colour}}').errors; // ['{{ticket.colour}}: "colour" is not a property of ticket; use one of id, number, ...']
 */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const errors: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      errors.push(`"{{" at position ${open} is never closed with "}}".`);
      break;
    }
    if (open > pos) parts.push({ kind: 'text', text: text.slice(pos, open) });
    const raw = text.slice(open, close + 2);
    const inner = text.slice(open + 2, close).trim();
    if (!PATH_RE.test(inner)) {
      errors.push(`${raw} is not a reference; write e.g. {{ticket.title}} or {{vars.days}}.`);
      parts.push({ kind: 'text', text: raw });
    } else {
      const path = inner.split('.');
      const problem = checkPath(path);
      if (problem) errors.push(`${raw}: ${problem}`);
      parts.push({ kind: 'ref', path, raw, offset: open });
    }
    pos = close + 2;
  }
  if (pos < text.length) parts.push({ kind: 'text', text: text.slice(pos) });
  return { parts, errors };
}

function checkPath(path: string[]): string | undefined {
  const [root, prop, ...rest] = path;
  const allowed = TEMPLATE_ROOTS[root!];
  if (!allowed) return `"${root}" is not a template root; use one of ${Object.keys(TEMPLATE_ROOTS).join(', ')}.`;
  if (prop === undefined) return `name a property, e.g. {{${root}.${allowed === 'any' ? 'name' : allowed[0]}}}.`;
  if (allowed === 'any') return undefined;
  if (!allowed.includes(prop)) return `"${prop}" is not a property of ${root}; use one of ${allowed.join(', ')}.`;
  if (root === 'ticket' && prop === 'dynamicFields') {
    if (rest.length !== 1 || !DYNAMIC_FIELD_NAME.test(rest[0]!)) {
      return 'name one dynamic field, e.g. {{ticket.dynamicFields.Approved}}.';
    }
    return undefined;
  }
  if (rest.length) return `${root}.${prop} has no sub-properties.`;
  return undefined;
}

/**
 * The problems of a template, as sentences (empty when fine).
 *
 * @example
 * validateTemplate('{{vars.days}} days'); // []
 */
export function validateTemplate(text: string): string[] {
  return parseTemplate(text).errors;
}

/**
 * The references a template uses, as dotted paths.
 *
 * @example
 * templateReferences('{{ticket.title}} for {{customer.email}}'); // ['ticket.title', 'customer.email']
 */
export function templateReferences(text: string): string[] {
  return parseTemplate(text)
    .parts.filter((p): p is Extract<TemplatePart, { kind: 'ref' }> => p.kind === 'ref')
    .map((p) => p.path.join('.'));
}

/**
 * The dynamic fields a template reads.
 *
 * @example
 * templateDynamicFields('{{ticket.dynamicFields.Days}} days'); // ['Days']
 */
export function templateDynamicFields(text: string): string[] {
  return templateReferences(text)
    .filter((p) => p.startsWith('ticket.dynamicFields.'))
    .map((p) => p.slice('ticket.dynamicFields.'.length));
}

/** What a template is rendered against; every part optional. */
export interface TemplateContext {
  ticket?: Record<string, unknown> & { dynamicFields?: Record<string, unknown> };
  customer?: Record<string, unknown>;
  owner?: Record<string, unknown>;
  responsible?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  process?: Record<string, unknown>;
}

export interface RenderOptions {
  /** What a missing value becomes: an empty string (default) or the placeholder as written. */
  missing?: 'empty' | 'keep';
}

function lookup(context: TemplateContext, path: string[]): unknown {
  let value: unknown = context;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function format(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(format).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Renders a template: each reference is replaced by its value (arrays joined with ", ").
 *
 * @example
 * render('Dear {{customer.firstName}}, ticket {{ticket.number}}', { customer: { firstName: 'Ann' }, ticket: { number: '2025010110000017' } });
 * // 'Dear Ann, ticket 2025010110000017'
 */
export function render(template: string, context: TemplateContext, options: RenderOptions = {}): string {
  return parseTemplate(template)
    .parts.map((p) => {
      if (p.kind === 'text') return p.text;
      const value = lookup(context, p.path);
      if ((value === undefined || value === null) && options.missing === 'keep') return p.raw;
      return format(value);
    })
    .join('');
}

/**
 * Like `render`, but a template that is exactly one reference gives the value itself (a number
 * stays a number), which is what script params and variable mappings want.
 *
 * @example
 * resolveTemplate('{{vars.days}}', { vars: { days: 3 } });     // 3
 * resolveTemplate('{{vars.days}} days', { vars: { days: 3 } }); // '3 days'
 */
export function resolveTemplate(template: string, context: TemplateContext): unknown {
  const { parts } = parseTemplate(template);
  if (parts.length === 1 && parts[0]!.kind === 'ref') return lookup(context, parts[0]!.path) ?? null;
  return render(template, context);
}
