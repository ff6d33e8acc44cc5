/**
 * User task groups: the dialog (title, where it is offered, submit text, lock), its fields (in
 * order, with move up / down) and the assignment.
 */
import { Group, ListGroup } from '@bpmn-io/properties-panel';
import { DIALOG_TICKET_FIELDS, type DialogField, type Display, type Interface } from '../../../../engine';
import type { DiagramElement } from '../../../types';
import { checkboxEntry, optionsOf, selectEntry, textEntry } from '../components';
import { extensionValues, getDialog, updateDialog, withOptional, writeExtension, type Services } from '../model';
import { INTERFACE_OPTIONS, moveButtons, moved, text, type GroupContext, type GroupDefinition } from '../shared';

const DISPLAY_OPTIONS = [
  { value: 'shown', label: 'Shown (optional)' },
  { value: 'mandatory', label: 'Mandatory' },
  { value: 'hidden', label: 'Hidden (set from the default)' },
];

/**
 * The groups of a user task.
 *
 * @example
 * userTaskGroups(element, { services, catalog }); // [Dialog, Dialog fields, Assignment]
 */
export function userTaskGroups(element: DiagramElement, ctx: GroupContext): GroupDefinition[] {
  return [dialogGroup(), fieldsGroup(element, ctx), assignGroup(ctx)];
}

function dialogGroup(): GroupDefinition {
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

function fieldNames(ctx: GroupContext, current?: string): Array<{ value: string; label: string }> {
  return optionsOf([...DIALOG_TICKET_FIELDS, ...ctx.catalog.dynamicFields.map((n) => `DynamicField_${n}`)], current);
}

function fieldsGroup(element: DiagramElement, ctx: GroupContext): GroupDefinition {
  const fields = getDialog(element).fields;
  const setField = (i: number, change: (f: DialogField) => DialogField) => (el: DiagramElement, s: Services) =>
    updateDialog(el, s, (d) => ({ ...d, fields: d.fields.map((f, j) => (j === i ? change(f) : f)) }));
  return {
    id: 'hd-dialog-fields',
    label: 'Dialog fields',
    component: ListGroup,
    add: (event: Event) => {
      event.stopPropagation();
      const used = new Set(fields.map((f) => f.field));
      const next = fieldNames(ctx).map((o) => o.value).find((n) => !used.has(n)) ?? 'Title';
      updateDialog(element, ctx.services, (d) => ({ ...d, fields: [...d.fields, { field: next, display: 'shown' }] }));
    },
    items: fields.map((f, i) => ({
      id: `hd-field-${i}`,
      label: `${i + 1}. ${f.field} · ${f.display}`,
      autoFocusEntry: `hd-field-${i}-field`,
      remove: () => updateDialog(element, ctx.services, (d) => ({ ...d, fields: d.fields.filter((_, j) => j !== i) })),
      entries: [
        moveButtons(`hd-field-${i}-move`, i, (el) => getDialog(el).fields.length,
          (el, step, s) => updateDialog(el, s, (d) => ({ ...d, fields: moved(d.fields, i, step) }))),
        selectEntry(`hd-field-${i}-field`, 'Field', (el) => fieldNames(ctx, getDialog(el).fields[i]?.field),
          (el) => text(getDialog(el).fields[i]?.field),
          (el, v, s) => setField(i, (x) => ({ ...x, field: v }))(el, s)),
        selectEntry(`hd-field-${i}-display`, 'Display', DISPLAY_OPTIONS,
          (el) => text(getDialog(el).fields[i]?.display),
          (el, v, s) => setField(i, (x) => ({ ...x, display: v as Display }))(el, s)),
        textEntry(`hd-field-${i}-label`, 'Label', (el) => text(getDialog(el).fields[i]?.label),
          (el, v, s) => setField(i, (x) => withOptional(x, 'label', v))(el, s)),
        textEntry(`hd-field-${i}-description`, 'Description', (el) => text(getDialog(el).fields[i]?.description),
          (el, v, s) => setField(i, (x) => withOptional(x, 'description', v))(el, s)),
        textEntry(`hd-field-${i}-default`, 'Default value', (el) => text(getDialog(el).fields[i]?.default),
          (el, v, s) => setField(i, (x) => withOptional(x, 'default', v))(el, s), { description: 'templates allowed, e.g. {{ticket.title}}' }),
      ],
    })),
  };
}

function assignGroup(ctx: GroupContext): GroupDefinition {
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
      selectEntry('hd-assign-queue', 'Queue', (el) => optionsOf(ctx.catalog.queues, attr('queue').get(el), '(none)'), attr('queue').get, attr('queue').set),
      textEntry('hd-assign-role', 'Role', attr('role').get, attr('role').set),
      textEntry('hd-assign-agent', 'Agent', attr('agent').get, attr('agent').set, { description: 'a login or a template, e.g. {{ticket.responsible}}' }),
    ],
  };
}
