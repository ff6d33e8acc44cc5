/**
 * Transition (sequence flow) groups: order and kind of condition; the structured condition as
 * comparisons and groups of comparisons (all / any / one, two levels, as the format allows); and the
 * actions, in order (move up / down), each with a form built from its type's JSON Schema
 * (engine/model/actions.ts): selects for enums and catalogue names, numbers, checkboxes, nested
 * objects (an article) as their own fields, name → value maps as lines, free objects as JSON.
 */
import { Group, ListGroup } from '@bpmn-io/properties-panel';
import {
  ACTION_TYPES, ACTIONS, CONDITION_OPS, CONDITION_TICKET_FIELDS, type Action, type Comparison, type ConditionOp,
} from '../../../../engine';
import type { DiagramElement } from '../../../types';
import { buttonsEntry, checkboxEntry, optionsOf, selectEntry, textEntry, type EntryDefinition } from '../components';
import { getActions, getCondition, setActions, setCondition, withOptional, type Services } from '../model';
import { m } from '$lib/i18n';
import { intOrUndefined, is, moveButtons, moved, text, type GroupContext, type GroupDefinition } from '../shared';

type Combinator = 'all' | 'any' | 'one';
const COMBINATOR_OPTIONS = [
  { value: 'all', label: 'all of (and)' }, { value: 'any', label: 'any of (or)' }, { value: 'one', label: 'exactly one of (xor)' },
];
const OP_LABELS: Record<ConditionOp, string> = {
  eq: 'equals', ne: 'does not equal', in: 'is one of', contains: 'contains', regex: 'matches (regex)', gt: '>', gte: '≥', lt: '<', lte: '≤',
  empty: 'is empty', notEmpty: 'is not empty',
};

/**
 * The groups of a transition: the transition (order, default flow), its condition in one place
 * (the kind, and for field comparisons: how they combine, the comparisons and groups, and the
 * buttons adding more, all in the one open group), and the actions.
 *
 * @example
 * transitionGroups(element, ctx); // [Transition, Condition, Actions]
 */
export function transitionGroups(element: DiagramElement, ctx: GroupContext): GroupDefinition[] {
  return [transitionGroup(element), conditionGroup(element, ctx), actionsGroup(element, ctx)];
}

// --- the condition

function conditionKind(el: DiagramElement): 'none' | 'expression' | 'unsupported' | 'structured' {
  const c = getCondition(el);
  return !c ? 'none' : 'expression' in c ? 'expression' : 'unsupported' in c ? 'unsupported' : 'structured';
}

function isComparison(item: unknown): item is Comparison {
  return typeof item === 'object' && item !== null && typeof (item as Comparison).field === 'string';
}

/** Combinator key and items of a condition or group object. */
function combo(c: unknown): { key: Combinator; items: unknown[] } {
  const o = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
  for (const key of ['all', 'any', 'one'] as const) if (Array.isArray(o[key])) return { key, items: o[key] as unknown[] };
  return { key: 'all', items: [] };
}

const outer = (el: DiagramElement) => combo(getCondition(el));

function setOuter(el: DiagramElement, s: Services, items: unknown[], key = outer(el).key): void {
  setCondition(el, items.length ? ({ [key]: items } as never) : undefined, s);
}

function newComparison(): Comparison {
  return { field: 'Queue', op: 'eq', value: '' };
}

/** The source of a flow, when it can have a default flow (an exclusive gateway or a task). */
function defaultOwner(el: DiagramElement): DiagramElement | undefined {
  const source = (el as unknown as { source?: DiagramElement }).source;
  return source && (is(source, 'bpmn:ExclusiveGateway') || is(source, 'bpmn:Activity')) ? source : undefined;
}

function transitionGroup(element: DiagramElement): GroupDefinition {
  const entries: EntryDefinition[] = [
    textEntry('hd-flow-order', 'Order', (el) => text(el.businessObject.get('hd:order')),
      (el, v, s) => s.modeling.updateProperties(el, { 'hd:order': intOrUndefined(v) }), { description: 'transitions leaving a node are tried lowest first' }),
  ];
  if (defaultOwner(element)) {
    entries.push(checkboxEntry('hd-flow-default', m.pp_default_flow(),
      (el) => defaultOwner(el)?.businessObject.default === el.businessObject,
      (el, v, s) => {
        const owner = defaultOwner(el);
        if (!owner) return;
        s.modeling.updateProperties(owner, { default: v ? el.businessObject : null });
        // A default flow has no condition of its own (it is taken when no other holds).
        if (v && getCondition(el)) setCondition(el, undefined, s);
      }, { description: m.pp_default_flow_help() }));
  }
  return { id: 'hd-transition', label: 'Transition', component: Group, entries };
}

function conditionFields(ctx: GroupContext, current?: string): Array<{ value: string; label: string }> {
  return optionsOf([...CONDITION_TICKET_FIELDS, ...ctx.catalog.dynamicFields.map((n) => `DynamicField_${n}`)], current);
}

/** Puts a typed-in value into a comparison the way its operator needs it. */
function comparisonValue(c: Comparison, raw: string): Comparison {
  const { value: _old, ...rest } = c;
  if (c.op === 'empty' || c.op === 'notEmpty') return rest;
  if (c.op === 'in') return { ...rest, value: raw.split(',').map((v) => v.trim()).filter(Boolean) };
  if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && raw.trim() !== '' && Number.isFinite(Number(raw))) return { ...rest, value: Number(raw) };
  return { ...rest, value: raw };
}

/**
 * Field / operator / value entries of the comparison at `at` (read and changed through `get` and
 * `update`), with ids prefixed by `id`.
 */
function comparisonEntries(
  ctx: GroupContext, id: string, prefix: string,
  get: (el: DiagramElement) => Comparison | undefined,
  update: (el: DiagramElement, s: Services, change: (c: Comparison) => Comparison) => void,
): EntryDefinition[] {
  return [
    selectEntry(`${id}-field`, `${prefix}Field`, (el) => conditionFields(ctx, get(el)?.field), (el) => text(get(el)?.field),
      (el, v, s) => update(el, s, (x) => ({ ...x, field: v }))),
    selectEntry(`${id}-op`, `${prefix}Operator`, CONDITION_OPS.map((op) => ({ value: op, label: OP_LABELS[op] })),
      (el) => text(get(el)?.op), (el, v, s) => update(el, s, (x) => comparisonValue({ ...x, op: v as ConditionOp }, text(x.value)))),
    textEntry(`${id}-value`, `${prefix}Value`, (el) => {
      const v = get(el)?.value;
      return Array.isArray(v) ? v.join(', ') : text(v);
    }, (el, v, s) => update(el, s, (x) => comparisonValue(x, v)), { description: '“is one of”: separate values with commas; fields may be vars.x too' }),
  ];
}

/**
 * The condition, in one open group: its kind; for field comparisons how they combine, then each
 * comparison (or group of comparisons) as rows with move / remove buttons, then "+ Comparison" and
 * "+ Group", which add a row right there; for an expression its text.
 */
function conditionGroup(element: DiagramElement, ctx: GroupContext): GroupDefinition {
  const k = conditionKind(element);
  const entries: EntryDefinition[] = [
    selectEntry('hd-flow-condition-kind', 'Condition', (el) => [
      { value: 'none', label: 'None (always)' },
      { value: 'structured', label: 'Field comparisons' },
      { value: 'expression', label: 'JavaScript expression' },
      ...(conditionKind(el) === 'unsupported' ? [{ value: 'unsupported', label: 'Unsupported (imported)' }] : []),
    ], conditionKind, (el, v, s) => {
      if (v === conditionKind(el)) return;
      if (v === 'none') setCondition(el, undefined, s);
      else if (v === 'structured') setCondition(el, { all: [newComparison()] }, s);
      else if (v === 'expression') setCondition(el, { expression: 'true' }, s);
    }),
  ];
  if (k === 'expression') {
    entries.push(textEntry('hd-flow-expression', 'Expression', (el) => {
      const c = getCondition(el);
      return c && 'expression' in c ? c.expression : '';
    }, (el, v, s) => setCondition(el, { expression: v }, s), { area: true, monospace: true, description: 'ticket and vars are in scope; must give true or false' }));
  }
  if (k === 'structured') {
    entries.push(selectEntry('hd-flow-combinator', 'Match', COMBINATOR_OPTIONS, (el) => outer(el).key, (el, v, s) => setOuter(el, s, outer(el).items, v as Combinator)));
    const { items } = outer(element);
    const setItem = (el: DiagramElement, s: Services, i: number, value: unknown) => setOuter(el, s, outer(el).items.map((x, j) => (j === i ? value : x)));
    items.forEach((item, i) => {
      const rowButtons = (label: string) => buttonsEntry(`hd-cmp-${i}-move`, [
        { label, title: label, disabled: () => true, run: () => undefined },
        { label: '↑', title: m.move_up(), disabled: () => i === 0, run: (el, s) => setOuter(el, s, moved(outer(el).items, i, -1)) },
        { label: '↓', title: m.move_down(), disabled: (el) => i >= outer(el).items.length - 1, run: (el, s) => setOuter(el, s, moved(outer(el).items, i, 1)) },
        { label: '✕', title: `Remove ${label}`, run: (el, s) => setOuter(el, s, outer(el).items.filter((_, j) => j !== i)) },
      ]);
      if (isComparison(item)) {
        const get = (el: DiagramElement) => {
          const x = outer(el).items[i];
          return isComparison(x) ? x : undefined;
        };
        entries.push(rowButtons(`${i + 1}.`), ...comparisonEntries(ctx, `hd-cmp-${i}`, `${i + 1}. `, get, (el, s, change) => {
          const c = get(el);
          if (c) setItem(el, s, i, change(c));
        }));
        return;
      }
      // A group: its combinator, then its comparisons (one level down; the format allows no deeper).
      const group = (el: DiagramElement) => combo(outer(el).items[i]);
      const setGroup = (el: DiagramElement, s: Services, inner: unknown[], key = group(el).key) =>
        inner.length ? setItem(el, s, i, { [key]: inner }) : setOuter(el, s, outer(el).items.filter((_, j) => j !== i));
      entries.push(rowButtons(`${i + 1}. (group)`),
        selectEntry(`hd-cmp-${i}-combinator`, `${i + 1}. Group matches`, COMBINATOR_OPTIONS, (el) => group(el).key, (el, v, s) => setGroup(el, s, group(el).items, v as Combinator)));
      combo(item).items.forEach((_, j) => {
        const get = (el: DiagramElement) => {
          const x = group(el).items[j];
          return isComparison(x) ? x : undefined;
        };
        entries.push(
          ...comparisonEntries(ctx, `hd-cmp-${i}-${j}`, `${i + 1}.${j + 1}. `, get, (el, s, change) => {
            const c = get(el);
            if (c) setGroup(el, s, group(el).items.map((x, k2) => (k2 === j ? change(c) : x)));
          }),
          buttonsEntry(`hd-cmp-${i}-${j}-remove`, [{ label: `✕ Remove ${i + 1}.${j + 1}`, title: `Remove comparison ${j + 1} of the group`, run: (el, s) => setGroup(el, s, group(el).items.filter((__, k2) => k2 !== j)) }]),
        );
      });
      entries.push(buttonsEntry(`hd-cmp-${i}-add`, [{ label: '+ Comparison in group', run: (el, s) => setGroup(el, s, [...group(el).items, newComparison()]) }]));
    });
    entries.push(buttonsEntry('hd-flow-add', [
      { label: '+ Comparison', title: 'Add a comparison', run: (el, s) => setOuter(el, s, [...outer(el).items, newComparison()]) },
      { label: '+ Group', title: 'Add a group of comparisons (any of …)', run: (el, s) => setOuter(el, s, [...outer(el).items, { any: [newComparison()] }]) },
    ]));
  }
  return { id: 'hd-conditions', label: 'Condition', component: Group, shouldOpen: true, entries };
}

// --- actions

interface PropSchema {
  type?: string | string[];
  enum?: string[];
  maxLength?: number;
  properties?: Record<string, PropSchema>;
  required?: string[];
  additionalProperties?: unknown;
}

/** The properties of an action type's schema, without `type`. */
function schemaOf(type: Action['type']): { properties: Record<string, PropSchema>; required: string[] } {
  const schema = ACTIONS[type]?.schema as { properties?: Record<string, PropSchema>; required?: string[] } | undefined;
  const { type: _t, ...properties } = schema?.properties ?? {};
  return { properties, required: (schema?.required ?? []).filter((r) => r !== 'type') };
}

/** A new action of a type with its required properties set to a first value. */
function blankAction(type: Action['type'], name?: string): Action {
  const action: Record<string, unknown> = { type };
  if (name) action.name = name;
  const { properties, required } = schemaOf(type);
  for (const prop of required) {
    const p = properties[prop];
    if (p?.enum) action[prop] = p.enum[0];
    else if (p?.type === 'object') action[prop] = { Field: '' };
    else action[prop] = '';
  }
  return action as unknown as Action;
}

function humanize(prop: string): string {
  const words = prop.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** name = value lines ↔ an object (values kept as text; numbers and true/false as such). */
function mapToLines(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  return Object.entries(value).map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(', ') : text(v)}`).join('\n');
}
function linesToMap(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of raw.split('\n')) {
    const at = line.indexOf('=');
    const key = (at < 0 ? line : line.slice(0, at)).trim();
    if (key) out[key] = at < 0 ? '' : line.slice(at + 1).trim();
  }
  return out;
}

const CATALOG_PROPS: Record<string, 'queues' | 'states' | 'priorities' | 'types'> = { queue: 'queues', state: 'states', priority: 'priorities', ticketType: 'types' };

/** Entries for one schema property at `path` (one key, or `article.subject`) of action `i`. */
function propertyEntries(ctx: GroupContext, i: number, path: string[], schema: PropSchema, required: boolean, labelPrefix = ''): EntryDefinition[] {
  const id = `hd-action-${i}-${path.join('-')}`;
  const prop = path[path.length - 1]!;
  const label = `${labelPrefix}${humanize(prop)}${required ? '' : ' (optional)'}`;
  const read = (el: DiagramElement): unknown => path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], getActions(el)[i]);
  const write = (el: DiagramElement, s: Services, value: unknown) =>
    setActions(el, getActions(el).map((a, j) => (j === i ? setPath(a as unknown as Record<string, unknown>, path, value, required) as unknown as Action : a)), s);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (schema.enum) {
    const values = schema.enum;
    return [selectEntry(id, label, (el) => optionsOf(values, text(read(el)), required ? undefined : '(none)'), (el) => text(read(el)), (el, v, s) => write(el, s, v || undefined))];
  }
  if (CATALOG_PROPS[prop] && ctx.catalog[CATALOG_PROPS[prop]].length) {
    const list = ctx.catalog[CATALOG_PROPS[prop]];
    return [selectEntry(id, label, (el) => optionsOf(list, text(read(el)), required ? undefined : '(none)'), (el) => text(read(el)), (el, v, s) => write(el, s, v || undefined),
      { description: 'a template is kept as written' })];
  }
  if (types.includes('boolean')) return [checkboxEntry(id, label, (el) => read(el) === true, (el, v, s) => write(el, s, v ? true : undefined))];
  if (types.includes('integer') || types.includes('number')) {
    return [textEntry(id, label, (el) => text(read(el)), (el, v, s) => {
      const n = Number(v.trim());
      write(el, s, v.trim() === '' || !Number.isFinite(n) ? undefined : n);
    })];
  }
  if (types.includes('object') && schema.properties) {
    return Object.entries(schema.properties).flatMap(([sub, subSchema]) =>
      propertyEntries(ctx, i, [...path, sub], subSchema, false, `${labelPrefix}${humanize(prop)}: `));
  }
  if (types.includes('object') && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return [textEntry(id, label, (el) => mapToLines(read(el)), (el, v, s) => {
      const m = linesToMap(v);
      write(el, s, Object.keys(m).length ? m : undefined);
    }, { area: true, monospace: true, description: 'one per line: FieldName = value (templates allowed, e.g. {{vars.days}})' })];
  }
  if (types.includes('string')) {
    const area = (schema.maxLength ?? 0) > 100_000;
    return [textEntry(id, label, (el) => text(read(el)), (el, v, s) => write(el, s, v === '' && !required ? undefined : v),
      { area, description: area || ['title', 'owner', 'responsible', 'subject', 'to'].includes(prop) ? 'templates allowed, e.g. {{ticket.title}}' : undefined })];
  }
  // Anything else (params, the config of an unsupported action): JSON.
  return [textEntry(id, `${label} (JSON)`, (el) => (read(el) === undefined ? '' : JSON.stringify(read(el), null, 2)), (el, v, s) => {
    if (!v.trim()) return write(el, s, undefined);
    try {
      write(el, s, JSON.parse(v));
    } catch {
      /* not JSON (yet): keep the stored value until it parses */
    }
  }, { area: true, monospace: true })];
}

/** A copy of `target` with `value` at `path` (removed when undefined; empty parents removed). */
function setPath(target: Record<string, unknown>, path: string[], value: unknown, required: boolean): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (!rest.length) return required && value === undefined ? { ...target, [head]: '' } : withOptional(target, head, value);
  const child = setPath((target[head] as Record<string, unknown> | undefined) ?? {}, rest, value, false);
  return withOptional(target, head, Object.keys(child).length ? child : undefined);
}

function actionsGroup(element: DiagramElement, ctx: GroupContext): GroupDefinition {
  const actions = getActions(element);
  const types = ACTION_TYPES.filter((t) => t !== 'Unsupported');
  return {
    id: 'hd-actions',
    label: 'Actions',
    component: ListGroup,
    add: (event: Event) => {
      event.stopPropagation();
      setActions(element, [...actions, blankAction('TicketQueueSet')], ctx.services);
    },
    items: actions.map((action, i) => {
      const { properties, required } = schemaOf(action.type);
      const entries: EntryDefinition[] = [
        moveButtons(`hd-action-${i}-move`, i, (el) => getActions(el).length, (el, step, s) => setActions(el, moved(getActions(el), i, step), s)),
        selectEntry(`hd-action-${i}-type`, 'Type', optionsOf(types, action.type), (el) => text(getActions(el)[i]?.type),
          (el, v, s) => setActions(el, getActions(el).map((a, j) => (j === i && a.type !== v ? blankAction(v as Action['type'], a.name) : a)), s),
          { description: ACTIONS[action.type]?.description }),
      ];
      const order = [...required, ...Object.keys(properties).filter((p) => !required.includes(p) && p !== 'name'), 'name'];
      for (const prop of order) {
        const schema = properties[prop];
        if (schema) entries.push(...propertyEntries(ctx, i, [prop], schema, required.includes(prop)));
      }
      return {
        id: `hd-action-${i}`,
        label: `${i + 1}. ${action.name ? `${action.name} (${action.type})` : action.type}`,
        autoFocusEntry: `hd-action-${i}-type`,
        remove: () => setActions(element, getActions(element).filter((_, j) => j !== i), ctx.services),
        entries,
      };
    }),
  };
}
