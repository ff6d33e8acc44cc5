/**
 * Templates at run time: resolves script params, task assignments and transition actions against
 * the ticket snapshot and the variables, and predicts what an action does to the snapshot
 * (`overlayAction`), so conditions later in the same chain see the ticket as the actions leave it.
 */
import type { Action, Assign, JsonValue, Process } from '../model/types';
import { hasTemplate, render, resolveTemplate, type TemplateContext } from '../model/templates';
import type { Snapshot, TicketSnapshot } from './snapshot';

/** Properties whose values keep their type when they are a lone `{{...}}` (maps of field values, params). */
const TYPED = new Set(['fields', 'dynamicFields', 'params']);

/**
 * The template context of an instance: ticket, people, variables and process.
 *
 * @example
 * render('{{ticket.title}} ({{process.key}})', templateContext(snapshot, vars, process));
 */
export function templateContext(snapshot: Snapshot, vars: Record<string, JsonValue>, process: Process): TemplateContext {
  return {
    ticket: snapshot.ticket as TemplateContext['ticket'],
    customer: snapshot.customer as Record<string, unknown> | undefined,
    owner: snapshot.owner as Record<string, unknown> | undefined,
    responsible: snapshot.responsible as Record<string, unknown> | undefined,
    vars,
    process: { key: process.key, name: process.name, version: process.version ?? null },
  };
}

/**
 * Resolves every template in a JSON value: `typed` keeps a lone `{{...}}`'s value as it is (a number
 * stays a number); otherwise templates render to text.
 *
 * @example
 * resolveValue({ days: '{{vars.days}}', note: '{{vars.days}} days' }, { vars: { days: 3 } }, true);
 * // { days: 3, note: '3 days' }
 */
export function resolveValue(value: JsonValue, ctx: TemplateContext, typed: boolean): JsonValue {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return value;
    return typed ? ((resolveTemplate(value, ctx) ?? null) as JsonValue) : render(value, ctx);
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx, typed));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, ctx, typed)]));
  }
  return value;
}

/**
 * An action with its templates resolved (text properties render; field maps and params keep types).
 *
 * @example
 * resolveAction({ type: 'TicketOwnerSet', owner: '{{ticket.responsible}}' }, { ticket: { responsible: 'bob' } });
 * // { type: 'TicketOwnerSet', owner: 'bob' }
 */
export function resolveAction(action: Action, ctx: TemplateContext): Action {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(action) as Array<[string, JsonValue]>) {
    out[k] = k === 'type' ? v : resolveValue(v, ctx, TYPED.has(k));
  }
  return out as unknown as Action;
}

/**
 * A task assignment with its templates rendered.
 *
 * @example
 * resolveAssign({ agent: '{{ticket.owner}}' }, { ticket: { owner: 'alice' } }); // { agent: 'alice' }
 */
export function resolveAssign(assign: Assign, ctx: TemplateContext): Assign {
  return resolveValue(assign as unknown as JsonValue, ctx, false) as unknown as Assign;
}

type Setter = (t: TicketSnapshot, a: Record<string, unknown>, now: number) => void;

const SETTERS: Partial<Record<Action['type'], Setter>> = {
  TicketQueueSet: (t, a) => { t.queue = a.queue as string; },
  TicketStateSet: (t, a, now) => {
    t.state = a.state as string;
    delete t.stateType; // unknown until the server reloads the ticket
    if (typeof a.pendingTime === 'string') t.pendingTime = a.pendingTime;
    else if (typeof a.pendingTimeDiff === 'number') t.pendingTime = new Date(now + a.pendingTimeDiff * 1000).toISOString();
  },
  TicketOwnerSet: (t, a) => { t.owner = a.owner as string; },
  TicketResponsibleSet: (t, a) => { t.responsible = a.responsible as string; },
  TicketPrioritySet: (t, a) => { t.priority = a.priority as string; },
  TicketLockSet: (t, a) => { t.lock = a.lock as 'lock' | 'unlock'; },
  TicketTypeSet: (t, a) => { t.type = a.ticketType as string; },
  TicketServiceSet: (t, a) => { t.service = a.service as string; },
  TicketSLASet: (t, a) => { t.sla = a.sla as string; },
  TicketTitleSet: (t, a) => { t.title = a.title as string; },
  TicketCustomerSet: (t, a) => {
    if (typeof a.customerUser === 'string') t.customerUser = a.customerUser;
    if (typeof a.customerId === 'string') t.customerId = a.customerId;
  },
  DynamicFieldSet: (t, a) => { t.dynamicFields = { ...t.dynamicFields, ...(a.fields as Record<string, JsonValue>) }; },
};

/**
 * Applies what a (resolved) action does to the ticket onto a working snapshot, in place. Actions that
 * do not change the ticket's own fields (articles, mails, new tickets, invokers) change nothing.
 *
 * @example
 * overlayAction(working, { type: 'TicketQueueSet', queue: 'HR' }, now); // working.ticket.queue === 'HR'
 */
export function overlayAction(snapshot: Snapshot, action: Action, now: number): void {
  SETTERS[action.type]?.(snapshot.ticket, action as unknown as Record<string, unknown>, now);
}
