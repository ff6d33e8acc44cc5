/**
 * The helpdesk's properties: keeps the standard groups that mean something here (general: name and
 * id; documentation: the description; timer; error) and adds the `hd:` ones — user-task dialog and
 * its fields, assignment; script (stored or inline) and params; service call; call activity;
 * transition order, condition builder and actions; who may start the process.
 */
import { Group, ListGroup } from '@bpmn-io/properties-panel';
import {
  ACTION_TYPES, ACTIONS, CONDITION_OPS, CONDITION_TICKET_FIELDS, DIALOG_TICKET_FIELDS, describeTimer,
  type Action, type Comparison, type ConditionOp, type DialogField, type Display, type Interface,
} from '../../../engine';
import type { BpmnFactory, BusinessObject, DiagramElement, Modeling } from '../../types';
import { checkboxEntry, optionsOf, selectEntry, textEntry, type EntryDefinition } from './components';
import {
  getActions, getCondition, getDialog, getParams, setActions, setCondition, setParams, updateDialog, withOptional, extensionValues,
  writeAll, writeExtension, type Services,
} from './model';

/** What the pickers offer; filled from the API by the page (the panel reads it on every render). */
export interface Catalog {
  dynamicFields: string[];
  queues: string[];
  states: string[];
  priorities: string[];
  types: string[];
}

interface GroupDefinition {
  id: string;
  label: string;
  component: unknown;
  entries?: EntryDefinition[];
  items?: Array<{ id: string; label: string; entries: EntryDefinition[]; remove: () => void; autoFocusEntry?: string }>;
  add?: (event: Event) => void;
}

const STANDARD_GROUPS = new Set(['general', 'documentation', 'timer', 'error']);

const INTERFACE_OPTIONS = [
  { value: 'agent', label: 'Agent interface' },
  { value: 'customer', label: 'Customer portal' },
  { value: 'agent customer', label: 'Both' },
];
const DISPLAY_OPTIONS = [
  { value: 'shown', label: 'Shown (optional)' },
  { value: 'mandatory', label: 'Mandatory' },
  { value: 'hidden', label: 'Hidden (set from the default)' },
];
const OP_LABELS: Record<ConditionOp, string> = {
  eq: 'equals', ne: 'does not equal', in: 'is one of', contains: 'contains', regex: 'matches (regex)', gt: '>', gte: '≥', lt: '<', lte: '≤',
  empty: 'is empty', notEmpty: 'is not empty',
};

/** The properties shown for each action type (its main ones; the rest stays as imported). */
const ACTION_FIELDS: Partial<Record<Action['type'], string[]>> = {
  TicketQueueSet: ['queue'],
  TicketStateSet: ['state', 'pendingTime'],
  TicketOwnerSet: ['owner'],
  TicketResponsibleSet: ['responsible'],
  TicketPrioritySet: ['priority'],
  TicketLockSet: ['lock'],
  TicketTypeSet: ['ticketType'],
  TicketServiceSet: ['service'],
  TicketSLASet: ['sla'],
  TicketTitleSet: ['title'],
  TicketCustomerSet: ['customerUser', 'customerId'],
  TicketArticleCreate: ['subject', 'body'],
  TicketCreate: ['title', 'queue'],
  SendEmail: ['to', 'template', 'subject', 'body'],
  ExecuteInvoker: ['webservice', 'operation'],
};

function is(element: DiagramElement, type: string): boolean {
  return element.businessObject?.$instanceOf?.(type) ?? false;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function intOrUndefined(value: string): number | undefined {
  const n = Number.parseInt(value.trim(), 10);
  return Number.isFinite(n) ? n : undefined;
}

/** The JSON Schema of one action property (for enums and required-ness). */
function actionProperty(type: Action['type'], prop: string): { enum?: string[]; required: boolean } {
  const schema = ACTIONS[type]?.schema as { required?: string[]; properties?: Record<string, { enum?: string[] }> } | undefined;
  return { enum: schema?.properties?.[prop]?.enum, required: schema?.required?.includes(prop) ?? false };
}

/** A new action of a type with its required properties blank. */
function blankAction(type: Action['type'], name?: string): Action {
  const action: Record<string, unknown> = { type };
  if (name) action.name = name;
  for (const prop of ACTION_FIELDS[type] ?? []) {
    const p = actionProperty(type, prop);
    if (p.required) action[prop] = p.enum?.[0] ?? '';
  }
  if (type === 'DynamicFieldSet') action.fields = { Field: '' };
  return action as unknown as Action;
}

export default class HelpdeskPropertiesProvider {
  static $inject = ['propertiesPanel', 'modeling', 'bpmnFactory', 'hdCatalog'];

  private readonly services: Services;

  constructor(
    propertiesPanel: { registerProvider(priority: number, provider: unknown): void },
    modeling: Modeling,
    bpmnFactory: BpmnFactory,
    private readonly catalog: Catalog,
  ) {
    this.services = { modeling, bpmnFactory };
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element: DiagramElement) {
    return (standard: GroupDefinition[]): GroupDefinition[] => {
      const groups = standard.filter((g) => STANDARD_GROUPS.has(g.id));
      if (is(element, 'bpmn:UserTask')) groups.push(this.dialogGroup(), this.fieldsGroup(element), this.assignGroup());
      else if (is(element, 'bpmn:ScriptTask')) groups.push(this.scriptGroup(element), this.paramsGroup(element));
      else if (is(element, 'bpmn:ServiceTask')) groups.push(this.serviceGroup(), this.paramsGroup(element), this.errorMappingGroup(element));
      else if (is(element, 'bpmn:CallActivity')) groups.push(this.callGroup());
      else if (is(element, 'bpmn:SequenceFlow')) groups.push(this.transitionGroup(element), this.conditionGroup(element), this.actionsGroup(element));
      else if (is(element, 'bpmn:Process') || is(element, 'bpmn:Collaboration')) groups.push(this.processGroup());
      if (timerDefinition(element)) {
        const at = groups.findIndex((g) => g.id === 'timer');
        groups.splice(at < 0 ? groups.length : at + 1, 0, this.timerPreviewGroup());
      }
      return groups;
    };
  }

  // --- user task

  private dialogGroup(): GroupDefinition {
    const prop = (key: 'name' | 'description' | 'submitText' | 'submitAdvice') => ({
      get: (el: DiagramElement) => text(getDialog(el)[key]),
      set: (el: DiagramElement, v: string, s: Services) => updateDialog(el, s, (d) => withOptional(d, key, v)),
    });
    return {
      id: 'hd-dialog',
      label: 'Dialog',
      component: Group,
      entries: [
        selectEntry('hd-dialog-interfaces', 'Offered in', INTERFACE_OPTIONS,
          (el) => getDialog(el).interfaces.join(' '),
          (el, v, s) => updateDialog(el, s, (d) => ({ ...d, interfaces: v.split(' ') as Interface[] }))),
        textEntry('hd-dialog-name', 'Dialog title', prop('name').get, prop('name').set),
        textEntry('hd-dialog-description', 'Dialog description', prop('description').get, prop('description').set, { area: true }),
        textEntry('hd-dialog-submitText', 'Submit button text', prop('submitText').get, prop('submitText').set),
        textEntry('hd-dialog-submitAdvice', 'Submit advice', prop('submitAdvice').get, prop('submitAdvice').set),
        checkboxEntry('hd-dialog-requiredLock', 'The agent must lock the ticket',
          (el) => getDialog(el).requiredLock === true,
          (el, v, s) => updateDialog(el, s, (d) => withOptional(d, 'requiredLock', v ? true : undefined))),
      ],
    };
  }

  private fieldNames(current?: string): Array<{ value: string; label: string }> {
    const names = [...DIALOG_TICKET_FIELDS, ...this.catalog.dynamicFields.map((n) => `DynamicField_${n}`)];
    return optionsOf(names, current);
  }

  private fieldsGroup(element: DiagramElement): GroupDefinition {
    const fields = getDialog(element).fields;
    const setField = (i: number, change: (f: DialogField) => DialogField) => (el: DiagramElement, _v: unknown, s: Services) =>
      updateDialog(el, s, (d) => ({ ...d, fields: d.fields.map((f, j) => (j === i ? change(f) : f)) }));
    return {
      id: 'hd-dialog-fields',
      label: 'Dialog fields',
      component: ListGroup,
      add: (event: Event) => {
        event.stopPropagation();
        const used = new Set(fields.map((f) => f.field));
        const next = this.fieldNames().map((o) => o.value).find((n) => !used.has(n)) ?? 'Title';
        updateDialog(element, this.services, (d) => ({ ...d, fields: [...d.fields, { field: next, display: 'shown' }] }));
      },
      items: fields.map((f, i) => ({
        id: `hd-field-${i}`,
        label: `${f.field} · ${f.display}`,
        autoFocusEntry: `hd-field-${i}-field`,
        remove: () => updateDialog(element, this.services, (d) => ({ ...d, fields: d.fields.filter((_, j) => j !== i) })),
        entries: [
          selectEntry(`hd-field-${i}-field`, 'Field', (el) => this.fieldNames(getDialog(el).fields[i]?.field),
            (el) => text(getDialog(el).fields[i]?.field),
            (el, v, s) => setField(i, (x) => ({ ...x, field: v }))(el, v, s)),
          selectEntry(`hd-field-${i}-display`, 'Display', DISPLAY_OPTIONS,
            (el) => text(getDialog(el).fields[i]?.display),
            (el, v, s) => setField(i, (x) => ({ ...x, display: v as Display }))(el, v, s)),
          textEntry(`hd-field-${i}-label`, 'Label', (el) => text(getDialog(el).fields[i]?.label),
            (el, v, s) => setField(i, (x) => withOptional(x, 'label', v))(el, v, s)),
          textEntry(`hd-field-${i}-description`, 'Description', (el) => text(getDialog(el).fields[i]?.description),
            (el, v, s) => setField(i, (x) => withOptional(x, 'description', v))(el, v, s)),
          textEntry(`hd-field-${i}-default`, 'Default value', (el) => text(getDialog(el).fields[i]?.default),
            (el, v, s) => setField(i, (x) => withOptional(x, 'default', v))(el, v, s), { description: 'templates allowed, e.g. {{ticket.title}}' }),
        ],
      })),
    };
  }

  private assignGroup(): GroupDefinition {
    const attr = (key: 'queue' | 'role' | 'agent') => ({
      get: (el: DiagramElement) => text(extensionValues(el.businessObject, 'hd:Assign')[0]?.[key]),
      set: (el: DiagramElement, v: string, s: Services) => {
        const current = extensionValues(el.businessObject, 'hd:Assign')[0];
        const values: Record<string, string | undefined> = { queue: text(current?.queue), role: text(current?.role), agent: text(current?.agent) };
        values[key] = v;
        const attrs = Object.fromEntries(Object.entries(values).map(([k, x]) => [k, x ? x : undefined]));
        writeExtension(el, 'hd:Assign', Object.values(attrs).some(Boolean) ? attrs : undefined, s);
      },
    });
    return {
      id: 'hd-assign',
      label: 'Assignment',
      component: Group,
      entries: [
        selectEntry('hd-assign-queue', 'Queue', (el) => optionsOf(this.catalog.queues, attr('queue').get(el), '(none)'), attr('queue').get, attr('queue').set),
        textEntry('hd-assign-role', 'Role', attr('role').get, attr('role').set),
        textEntry('hd-assign-agent', 'Agent', attr('agent').get, attr('agent').set, { description: 'a login or a template, e.g. {{ticket.responsible}}' }),
      ],
    };
  }

  // --- script and service tasks

  private scriptGroup(element: DiagramElement): GroupDefinition {
    const stored = (el: DiagramElement) => el.businessObject.get('hd:scriptRef') !== undefined;
    const entries: EntryDefinition[] = [
      selectEntry('hd-script-kind', 'Script', [{ value: 'ref', label: 'From the script library' }, { value: 'inline', label: 'Written here (inline)' }],
        (el) => (stored(el) ? 'ref' : 'inline'),
        (el, v, s) => s.modeling.updateProperties(el, v === 'ref'
          ? { 'hd:scriptRef': text(el.businessObject.get('hd:scriptRef')), script: undefined, scriptFormat: undefined }
          : { 'hd:scriptRef': undefined, 'hd:scriptVersion': undefined, scriptFormat: 'javascript', script: text(el.businessObject.script) })),
    ];
    if (stored(element)) {
      entries.push(
        textEntry('hd-script-ref', 'Script name', (el) => text(el.businessObject.get('hd:scriptRef')),
          (el, v, s) => s.modeling.updateProperties(el, { 'hd:scriptRef': v.trim() })),
        textEntry('hd-script-version', 'Version', (el) => text(el.businessObject.get('hd:scriptVersion')),
          (el, v, s) => s.modeling.updateProperties(el, { 'hd:scriptVersion': intOrUndefined(v) }), { description: 'empty: the latest version' }),
      );
    } else {
      entries.push(
        textEntry('hd-script-source', 'Source (JavaScript)', (el) => text(el.businessObject.script),
          (el, v, s) => s.modeling.updateProperties(el, { script: v, scriptFormat: 'javascript' }),
          { area: true, monospace: true, description: 'gets ticket, params and vars; returns { vars, dynamicFields }' }),
      );
    }
    entries.push(
      textEntry('hd-script-timeout', 'Timeout (ms)', (el) => text(el.businessObject.get('hd:timeoutMs')),
        (el, v, s) => s.modeling.updateProperties(el, { 'hd:timeoutMs': intOrUndefined(v) })),
    );
    return { id: 'hd-script', label: 'Script', component: Group, entries };
  }

  private paramsGroup(element: DiagramElement): GroupDefinition {
    const params = getParams(element);
    const keys = Object.keys(params);
    const rename = (from: string, to: string, el: DiagramElement, s: Services) => {
      const current = getParams(el);
      if (!to || (to !== from && to in current)) return;
      setParams(el, Object.fromEntries(Object.entries(current).map(([k, v]) => [k === from ? to : k, v])), s);
    };
    return {
      id: 'hd-params',
      label: 'Params',
      component: ListGroup,
      add: (event: Event) => {
        event.stopPropagation();
        let n = keys.length + 1;
        while (`param${n}` in params) n++;
        setParams(element, { ...params, [`param${n}`]: '' }, this.services);
      },
      items: keys.map((key, i) => ({
        id: `hd-param-${i}`,
        label: key,
        autoFocusEntry: `hd-param-${i}-key`,
        remove: () => setParams(element, Object.fromEntries(Object.entries(getParams(element)).filter(([k]) => k !== key)), this.services),
        entries: [
          textEntry(`hd-param-${i}-key`, 'Name', () => key, (el, v, s) => rename(key, v.trim(), el, s)),
          textEntry(`hd-param-${i}-value`, 'Value', (el) => text(getParams(el)[key]),
            (el, v, s) => setParams(el, { ...getParams(el), [key]: v }, s),
            { description: 'text or a template: {{ticket.title}}, {{ticket.dynamicFields.X}}, {{vars.x}}' }),
        ],
      })),
    };
  }

  private serviceGroup(): GroupDefinition {
    const attr = (key: string, int = false) => ({
      get: (el: DiagramElement) => text(el.businessObject.get(key)),
      set: (el: DiagramElement, v: string, s: Services) => s.modeling.updateProperties(el, { [key]: int ? intOrUndefined(v) : v.trim() }),
    });
    return {
      id: 'hd-service',
      label: 'Web service call',
      component: Group,
      entries: [
        textEntry('hd-service-webservice', 'Outbound service', attr('hd:webservice').get, attr('hd:webservice').set),
        textEntry('hd-service-operation', 'Operation', attr('hd:operation').get, attr('hd:operation').set),
        textEntry('hd-service-timeout', 'Timeout (ms)', attr('hd:timeoutMs', true).get, attr('hd:timeoutMs', true).set),
        textEntry('hd-service-retries', 'Retries', attr('hd:retries', true).get, attr('hd:retries', true).set),
      ],
    };
  }

  private errorMappingGroup(element: DiagramElement): GroupDefinition {
    const read = (el: DiagramElement) => extensionValues(el.businessObject, 'hd:ErrorMapping').map((m) => ({ when: text(m.when), code: text(m.code) }));
    const mappings = read(element);
    const update = (el: DiagramElement, i: number, key: 'when' | 'code', v: string, s: Services) =>
      writeAll(el, 'hd:ErrorMapping', read(el).map((m, j) => (j === i ? { ...m, [key]: v.trim() } : m)), s);
    return {
      id: 'hd-errors',
      label: 'Error codes',
      component: ListGroup,
      add: (event: Event) => {
        event.stopPropagation();
        writeAll(element, 'hd:ErrorMapping', [...mappings, { when: '5XX', code: 'HTTP_5XX' }], this.services);
      },
      items: mappings.map((m, i) => ({
        id: `hd-error-${i}`,
        label: `${m.when || '?'} → ${m.code || '?'}`,
        autoFocusEntry: `hd-error-${i}-when`,
        remove: () => writeAll(element, 'hd:ErrorMapping', read(element).filter((_, j) => j !== i), this.services),
        entries: [
          textEntry(`hd-error-${i}-when`, 'When', (el) => read(el)[i]?.when ?? '', (el, v, s) => update(el, i, 'when', v, s),
            { description: 'an HTTP status or class (404, 5XX), timeout, network or invalidResponse' }),
          textEntry(`hd-error-${i}-code`, 'Error code', (el) => read(el)[i]?.code ?? '', (el, v, s) => update(el, i, 'code', v, s),
            { description: 'caught by a boundary error event with this code' }),
        ],
      })),
    };
  }

  private callGroup(): GroupDefinition {
    return {
      id: 'hd-call',
      label: 'Called process',
      component: Group,
      entries: [
        textEntry('hd-call-process', 'Process key', (el) => text(el.businessObject.calledElement),
          (el, v, s) => s.modeling.updateProperties(el, { calledElement: v.trim() || undefined })),
        textEntry('hd-call-version', 'Version', (el) => text(el.businessObject.get('hd:calledVersion')),
          (el, v, s) => s.modeling.updateProperties(el, { 'hd:calledVersion': v.trim() || undefined }), { description: 'a number, or empty for the latest' }),
        selectEntry('hd-call-binding', 'Runs on', [{ value: 'same-ticket', label: 'the same ticket' }, { value: 'child-ticket', label: 'a new child ticket' }],
          (el) => text(el.businessObject.get('hd:binding')) || 'same-ticket',
          (el, v, s) => s.modeling.updateProperties(el, { 'hd:binding': v })),
      ],
    };
  }

  // --- transitions

  private transitionGroup(element: DiagramElement): GroupDefinition {
    const kind = (el: DiagramElement) => {
      const c = getCondition(el);
      return !c ? 'none' : 'expression' in c ? 'expression' : 'unsupported' in c ? 'unsupported' : 'structured';
    };
    const entries: EntryDefinition[] = [
      textEntry('hd-flow-order', 'Order', (el) => text(el.businessObject.get('hd:order')),
        (el, v, s) => s.modeling.updateProperties(el, { 'hd:order': intOrUndefined(v) }), { description: 'transitions leaving a node are tried lowest first' }),
      selectEntry('hd-flow-condition-kind', 'Condition', (el) => [
        { value: 'none', label: 'None (always)' },
        { value: 'structured', label: 'Field comparisons' },
        { value: 'expression', label: 'JavaScript expression' },
        ...(kind(el) === 'unsupported' ? [{ value: 'unsupported', label: 'Unsupported (imported)' }] : []),
      ], kind, (el, v, s) => {
        if (v === kind(el)) return;
        if (v === 'none') setCondition(el, undefined, s);
        else if (v === 'structured') setCondition(el, { all: [{ field: 'Queue', op: 'eq', value: '' }] }, s);
        else if (v === 'expression') setCondition(el, { expression: 'true' }, s);
      }),
    ];
    const k = kind(element);
    if (k === 'structured') {
      entries.push(selectEntry('hd-flow-combinator', 'Match', [
        { value: 'all', label: 'all comparisons (and)' }, { value: 'any', label: 'any comparison (or)' }, { value: 'one', label: 'exactly one (xor)' },
      ], (el) => combinator(el).key, (el, v, s) => setCondition(el, { [v]: combinator(el).items } as never, s)));
    } else if (k === 'expression') {
      entries.push(textEntry('hd-flow-expression', 'Expression', (el) => {
        const c = getCondition(el);
        return c && 'expression' in c ? c.expression : '';
      }, (el, v, s) => setCondition(el, { expression: v }, s), { area: true, monospace: true, description: 'ticket and vars are in scope; must give true or false' }));
    }
    return { id: 'hd-transition', label: 'Transition', component: Group, entries };
  }

  private conditionFields(current?: string): Array<{ value: string; label: string }> {
    return optionsOf([...CONDITION_TICKET_FIELDS, ...this.catalog.dynamicFields.map((n) => `DynamicField_${n}`)], current);
  }

  private conditionGroup(element: DiagramElement): GroupDefinition {
    const { key, items } = combinator(element);
    const setItem = (el: DiagramElement, i: number, s: Services, change: (c: Comparison) => Comparison) => {
      const current = combinator(el);
      setCondition(el, { [current.key]: current.items.map((c, j) => (j === i && isComparison(c) ? change(c) : c)) } as never, s);
    };
    const comparisons = items.map((c, i) => ({ c, i })).filter((x): x is { c: Comparison; i: number } => isComparison(x.c));
    return {
      id: 'hd-conditions',
      label: 'Condition: comparisons',
      component: ListGroup,
      add: (event: Event) => {
        event.stopPropagation();
        setCondition(element, { [key]: [...items, { field: 'Queue', op: 'eq', value: '' }] } as never, this.services);
      },
      items: comparisons.map(({ c, i }) => ({
        id: `hd-cmp-${i}`,
        label: `${c.field} ${OP_LABELS[c.op] ?? c.op} ${Array.isArray(c.value) ? c.value.join(', ') : text(c.value)}`.trim(),
        autoFocusEntry: `hd-cmp-${i}-field`,
        remove: () => {
          const rest = items.filter((_, j) => j !== i);
          setCondition(element, rest.length ? ({ [key]: rest } as never) : undefined, this.services);
        },
        entries: [
          selectEntry(`hd-cmp-${i}-field`, 'Field', (el) => this.conditionFields(comparisonAt(el, i)?.field),
            (el) => text(comparisonAt(el, i)?.field), (el, v, s) => setItem(el, i, s, (x) => ({ ...x, field: v }))),
          selectEntry(`hd-cmp-${i}-op`, 'Operator', CONDITION_OPS.map((op) => ({ value: op, label: OP_LABELS[op] })),
            (el) => text(comparisonAt(el, i)?.op), (el, v, s) => setItem(el, i, s, (x) => comparisonValue({ ...x, op: v as ConditionOp }, text(x.value)))),
          textEntry(`hd-cmp-${i}-value`, 'Value', (el) => {
            const v = comparisonAt(el, i)?.value;
            return Array.isArray(v) ? v.join(', ') : text(v);
          }, (el, v, s) => setItem(el, i, s, (x) => comparisonValue(x, v)), { description: '“is one of”: separate values with commas' }),
        ],
      })),
    };
  }

  private actionsGroup(element: DiagramElement): GroupDefinition {
    const actions = getActions(element);
    const types = ACTION_TYPES.filter((t) => t !== 'Unsupported');
    const setAction = (el: DiagramElement, i: number, s: Services, change: (a: Action) => Action) =>
      setActions(el, getActions(el).map((a, j) => (j === i ? change(a) : a)), s);
    return {
      id: 'hd-actions',
      label: 'Actions',
      component: ListGroup,
      add: (event: Event) => {
        event.stopPropagation();
        setActions(element, [...actions, blankAction('TicketQueueSet')], this.services);
      },
      items: actions.map((action, i) => {
        const entries: EntryDefinition[] = [
          selectEntry(`hd-action-${i}-type`, 'Type', optionsOf(types, action.type), (el) => text(getActions(el)[i]?.type),
            (el, v, s) => setAction(el, i, s, (a) => (a.type === v ? a : blankAction(v as Action['type'], a.name)))),
        ];
        if (action.type === 'DynamicFieldSet') {
          const fieldsOf = (a: Action | undefined) => ((a as { fields?: Record<string, unknown> } | undefined)?.fields ?? {});
          const first = (el: DiagramElement) => Object.entries(fieldsOf(getActions(el)[i]))[0];
          const setFirst = (el: DiagramElement, s: Services, name: string, value: unknown) =>
            setAction(el, i, s, (a) => ({ ...a, fields: { [name]: value, ...Object.fromEntries(Object.entries(fieldsOf(a)).slice(1)) } }) as Action);
          entries.push(
            selectEntry(`hd-action-${i}-df`, 'Dynamic field', (el) => optionsOf(this.catalog.dynamicFields, first(el)?.[0]), (el) => text(first(el)?.[0]),
              (el, v, s) => setFirst(el, s, v, first(el)?.[1] ?? '')),
            textEntry(`hd-action-${i}-dfvalue`, 'Value', (el) => text(first(el)?.[1]), (el, v, s) => setFirst(el, s, first(el)?.[0] ?? 'Field', v),
              { description: 'templates allowed, e.g. {{vars.days}}' }),
          );
        }
        for (const prop of ACTION_FIELDS[action.type] ?? []) {
          const p = actionProperty(action.type, prop);
          const get = (el: DiagramElement) => text((getActions(el)[i] as unknown as Record<string, unknown> | undefined)?.[prop]);
          const set = (el: DiagramElement, v: string, s: Services) =>
            setAction(el, i, s, (a) => (p.required ? { ...a, [prop]: v } : withOptional(a, prop, v)) as Action);
          const label = `${prop.charAt(0).toUpperCase()}${prop.slice(1).replace(/([A-Z])/g, ' $1').toLowerCase()}${p.required ? '' : ' (optional)'}`;
          entries.push(p.enum
            ? selectEntry(`hd-action-${i}-${prop}`, label, optionsOf(p.enum), get, set)
            : textEntry(`hd-action-${i}-${prop}`, label, get, set, { area: prop === 'body', description: prop === 'body' || prop === 'title' || prop === 'owner' ? 'templates allowed, e.g. {{ticket.title}}' : undefined }));
        }
        return {
          id: `hd-action-${i}`,
          label: `${i + 1}. ${action.type}`,
          autoFocusEntry: `hd-action-${i}-type`,
          remove: () => setActions(element, getActions(element).filter((_, j) => j !== i), this.services),
          entries,
        };
      }),
    };
  }

  // --- timers

  private timerPreviewGroup(): GroupDefinition {
    return {
      id: 'hd-timer',
      label: 'When it fires',
      component: Group,
      entries: [
        textEntry('hd-timer-preview', 'In words', (el) => {
          const def = timerDefinition(el);
          const body = (key: string) => {
            const b = (def?.[key] as BusinessObject | undefined)?.body;
            return typeof b === 'string' && b.trim() ? b.trim() : undefined;
          };
          const spec = { duration: body('timeDuration'), date: body('timeDate'), cycle: body('timeCycle') };
          if (!spec.duration && !spec.date && !spec.cycle) return 'no time set yet: choose a type and a value under Timer';
          return describeTimer(Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)));
        }, () => undefined, { disabled: true, description: 'durations like PT8H, dates like 2025-03-01T09:00:00Z, cycles like R/P1D' }),
      ],
    };
  }

  // --- the process

  private processGroup(): GroupDefinition {
    const processOf = (el: DiagramElement): BusinessObject | undefined => {
      const bo = el.businessObject;
      if (bo.$instanceOf('bpmn:Process')) return bo;
      const participant = (bo.participants as BusinessObject[] | undefined)?.[0];
      return participant?.processRef as BusinessObject | undefined;
    };
    return {
      id: 'hd-process',
      label: 'Starting the process',
      component: Group,
      entries: [
        selectEntry('hd-process-interfaces', 'Who may start it', INTERFACE_OPTIONS,
          (el) => text(processOf(el)?.get('hd:startInterfaces')) || 'agent',
          (el, v, s) => {
            const p = processOf(el);
            if (p) s.modeling.updateModdleProperties(el, p, { 'hd:startInterfaces': v });
          }),
      ],
    };
  }
}

function timerDefinition(element: DiagramElement): BusinessObject | undefined {
  return element.businessObject?.eventDefinitions?.find((d) => d?.$type === 'bpmn:TimerEventDefinition');
}

function isComparison(item: unknown): item is Comparison {
  return typeof item === 'object' && item !== null && typeof (item as Comparison).field === 'string';
}

/** The top-level combinator and items of a structured condition (`all` and none when there is none). */
function combinator(element: DiagramElement): { key: 'all' | 'any' | 'one'; items: unknown[] } {
  const c = getCondition(element) as Record<string, unknown> | undefined;
  for (const key of ['all', 'any', 'one'] as const) if (c && Array.isArray(c[key])) return { key, items: c[key] as unknown[] };
  return { key: 'all', items: [] };
}

function comparisonAt(element: DiagramElement, i: number): Comparison | undefined {
  const item = combinator(element).items[i];
  return isComparison(item) ? item : undefined;
}

/** Puts a typed-in value into a comparison the way its operator needs it. */
function comparisonValue(c: Comparison, raw: string): Comparison {
  const { value: _old, ...rest } = c;
  if (c.op === 'empty' || c.op === 'notEmpty') return rest;
  if (c.op === 'in') return { ...rest, value: raw.split(',').map((v) => v.trim()).filter(Boolean) };
  if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && raw.trim() !== '' && Number.isFinite(Number(raw))) return { ...rest, value: Number(raw) };
  return { ...rest, value: raw };
}
