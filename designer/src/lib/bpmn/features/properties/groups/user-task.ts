/**
 * User task groups: the dialog (title, where it is offered, submit text, lock), its fields (in
 * order, with move up / down) and the assignment.
 */
import { m } from '$lib/i18n';
import { Group, ListGroup } from '@bpmn-io/properties-panel';
import { DIALOG_TICKET_FIELDS, type DialogField, type Display, type I18n, type Interface } from '../../../../engine';
import type { DiagramElement } from '../../../types';
import { checkboxEntry, optionsOf, selectEntry, textEntry } from '../components';
import { extensionValues, getDialog, readJson, updateDialog, withOptional, writeExtension, writeJson, type Services } from '../model';
import { formBuilderGroup } from './form-builder';
import { interfaceOptions, moveButtons, moved, text, translationEntries, type GroupContext, type GroupDefinition } from '../shared';

const displayOptions = () => [
  { value: 'shown', label: m.pp_display_shown() },
  { value: 'mandatory', label: m.pp_display_mandatory() },
  { value: 'hidden', label: m.pp_display_hidden() },
];
const DISPLAY_NAMES: Record<string, () => string> = { shown: m.pp_display_shown_short, mandatory: m.pp_display_mandatory, hidden: m.pp_display_hidden_short };

/**
 * The groups of a user task.
 *
 * @example
 * userTaskGroups(element, { services, catalog }); // [Dialog, Dialog fields, Assignment]
 */
export function userTaskGroups(element: DiagramElement, ctx: GroupContext): GroupDefinition[] {
  return [dialogGroup(), formBuilderGroup('task', ctx), fieldsGroup(element, ctx), assignGroup(ctx), translationsGroup()];
}

function dialogGroup(): GroupDefinition {
  const prop = (key: 'name' | 'description' | 'submitText' | 'submitAdvice') => ({
    get: (el: DiagramElement) => text(getDialog(el)[key]),
    set: (el: DiagramElement, v: string, s: Services) => updateDialog(el, s, (d) => withOptional(d, key, v)),
  });
  return {
    id: 'hd-dialog',
    label: m.pp_dialog(),
    component: Group,
    entries: [
      selectEntry('hd-dialog-interfaces', m.pp_offered_in(), interfaceOptions(),
        (el) => getDialog(el).interfaces.join(' '),
        (el, v, s) => updateDialog(el, s, (d) => ({ ...d, interfaces: v.split(' ') as Interface[] }))),
      textEntry('hd-dialog-name', m.pp_dialog_title(), prop('name').get, prop('name').set),
      textEntry('hd-dialog-description', m.pp_dialog_description(), prop('description').get, prop('description').set, { area: true }),
      textEntry('hd-dialog-submitText', m.pp_submit_text(), prop('submitText').get, prop('submitText').set),
      textEntry('hd-dialog-submitAdvice', m.pp_submit_advice(), prop('submitAdvice').get, prop('submitAdvice').set),
      checkboxEntry('hd-dialog-requiredLock', m.pp_required_lock(),
        (el) => getDialog(el).requiredLock === true,
        (el, v, s) => updateDialog(el, s, (d) => withOptional(d, 'requiredLock', v ? true : undefined))),
      ...dialogTranslations('name', m.pp_dialog_title()),
      ...dialogTranslations('description', m.pp_dialog_description()),
      ...dialogTranslations('submitText', m.pp_submit_text()),
      ...dialogTranslations('submitAdvice', m.pp_submit_advice()),
    ],
  };
}

function dialogTranslations(property: 'name' | 'description' | 'submitText' | 'submitAdvice', label: string) {
  return translationEntries(`hd-dialog-${property}-i18n`, label, property, (el) => getDialog(el).i18n,
    (el, v, s) => updateDialog(el, s, (d) => withOptional(d, 'i18n', v)));
}

/** The step's name in the other languages (`hd:I18n` of the task). */
function translationsGroup(): GroupDefinition {
  return {
    id: 'hd-i18n',
    label: m.pp_translations(),
    component: Group,
    entries: translationEntries('hd-name-i18n', m.pp_step_name(), 'name',
      (el) => readJson<I18n>(el.businessObject, 'hd:I18n'),
      (el, v, s) => writeJson(el, 'hd:I18n', v, s)),
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
    label: m.pp_dialog_fields(),
    component: ListGroup,
    add: (event: Event) => {
      event.stopPropagation();
      const used = new Set(fields.map((f) => f.field));
      const next = fieldNames(ctx).map((o) => o.value).find((n) => !used.has(n)) ?? 'Title';
      updateDialog(element, ctx.services, (d) => ({ ...d, fields: [...d.fields, { field: next, display: 'shown' }] }));
    },
    items: fields.map((f, i) => ({
      id: `hd-field-${i}`,
      label: `${i + 1}. ${f.field} · ${DISPLAY_NAMES[f.display]?.() ?? f.display}`,
      autoFocusEntry: `hd-field-${i}-field`,
      remove: () => updateDialog(element, ctx.services, (d) => ({ ...d, fields: d.fields.filter((_, j) => j !== i) })),
      entries: [
        moveButtons(`hd-field-${i}-move`, i, (el) => getDialog(el).fields.length,
          (el, step, s) => updateDialog(el, s, (d) => ({ ...d, fields: moved(d.fields, i, step) }))),
        selectEntry(`hd-field-${i}-field`, m.pp_field(), (el) => fieldNames(ctx, getDialog(el).fields[i]?.field),
          (el) => text(getDialog(el).fields[i]?.field),
          (el, v, s) => setField(i, (x) => ({ ...x, field: v }))(el, s)),
        selectEntry(`hd-field-${i}-display`, m.pp_display(), displayOptions(),
          (el) => text(getDialog(el).fields[i]?.display),
          (el, v, s) => setField(i, (x) => ({ ...x, display: v as Display }))(el, s)),
        textEntry(`hd-field-${i}-label`, m.pp_label(), (el) => text(getDialog(el).fields[i]?.label),
          (el, v, s) => setField(i, (x) => withOptional(x, 'label', v))(el, s)),
        textEntry(`hd-field-${i}-description`, m.pp_description(), (el) => text(getDialog(el).fields[i]?.description),
          (el, v, s) => setField(i, (x) => withOptional(x, 'description', v))(el, s)),
        ...translationEntries(`hd-field-${i}-label-i18n`, m.pp_label(), 'label', (el) => getDialog(el).fields[i]?.i18n,
          (el, v, s) => setField(i, (x) => withOptional(x, 'i18n', v))(el, s)),
        ...translationEntries(`hd-field-${i}-description-i18n`, m.pp_description(), 'description', (el) => getDialog(el).fields[i]?.i18n,
          (el, v, s) => setField(i, (x) => withOptional(x, 'i18n', v))(el, s)),
        textEntry(`hd-field-${i}-default`, m.pp_default(), (el) => text(getDialog(el).fields[i]?.default),
          (el, v, s) => setField(i, (x) => withOptional(x, 'default', v))(el, s), { description: m.pp_default_help({ example: '{{ticket.title}}' }) }),
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
    label: m.pp_assignment(),
    component: Group,
    entries: [
      selectEntry('hd-assign-queue', m.col_queue(), (el) => optionsOf(ctx.catalog.queues, attr('queue').get(el), m.pp_none()), attr('queue').get, attr('queue').set),
      textEntry('hd-assign-role', m.pp_role(), attr('role').get, attr('role').set),
      textEntry('hd-assign-agent', m.pp_agent(), attr('agent').get, attr('agent').set, { description: m.pp_agent_help({ example: '{{ticket.responsible}}' }) }),
    ],
  };
}
