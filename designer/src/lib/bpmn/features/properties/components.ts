/**
 * Generic entries of the helpdesk properties groups, as stable Preact components (module-level, so
 * a re-render after a change keeps the input and its focus). Each takes `get` / `set` functions in
 * its props; `set` receives the modeling services. `buttonsEntry` is a row of small buttons (move up /
 * down, add a group) whose actions receive the element and the services.
 */
import {
  CheckboxEntry, SelectEntry, TextAreaEntry, TextFieldEntry,
  isCheckboxEntryEdited, isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited,
} from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useEffect, useRef } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import type { DiagramElement } from '../../types';
import type { Services } from './model';

type Getter<T> = (element: DiagramElement) => T;
type Setter<T> = (element: DiagramElement, value: T, services: Services) => void;

interface EntryProps<T> {
  element: DiagramElement;
  id: string;
  label: string;
  description?: string;
  get: Getter<T>;
  set: Setter<T>;
}

function useServices(): Services {
  return { modeling: useService('modeling'), bpmnFactory: useService('bpmnFactory') };
}

function HdText(props: EntryProps<string> & { area?: boolean; monospace?: boolean; disabled?: boolean }) {
  const { element, id, label, description, get, set, area, monospace, disabled } = props;
  const debounce = useService('debounceInput');
  const services = useServices();
  return h(area ? TextAreaEntry : TextFieldEntry, {
    element, id, label, description, debounce, monospace, disabled, rows: 4,
    getValue: () => get(element) ?? '',
    setValue: (value: string) => set(element, value ?? '', services),
  });
}

function HdSelect(props: EntryProps<string> & { options: (element: DiagramElement) => Array<{ value: string; label: string }> }) {
  const { element, id, label, description, get, set, options } = props;
  const services = useServices();
  return h(SelectEntry, {
    element, id, label, description,
    getValue: () => get(element) ?? '',
    setValue: (value: string) => set(element, value, services),
    getOptions: () => options(element),
  });
}

function HdCheckbox(props: EntryProps<boolean>) {
  const { element, id, label, description, get, set } = props;
  const services = useServices();
  return h(CheckboxEntry, {
    element, id, label, description,
    getValue: () => get(element) === true,
    setValue: (value: boolean) => set(element, value, services),
  });
}

interface ButtonSpec {
  label: string;
  title?: string;
  disabled?: (element: DiagramElement) => boolean;
  run: (element: DiagramElement, services: Services) => void;
}

function HdButtons(props: { element: DiagramElement; id: string; buttons: ButtonSpec[] }) {
  const { element, id, buttons } = props;
  const services = useServices();
  return h('div', { class: 'bio-properties-panel-entry hd-buttons', 'data-entry-id': id },
    buttons.map((b, i) => h('button', {
      key: i,
      type: 'button',
      class: 'hd-button',
      title: b.title ?? b.label,
      'aria-label': b.title ?? b.label,
      disabled: b.disabled?.(element) ?? false,
      onClick: (event: Event) => {
        event.stopPropagation();
        b.run(element, services);
      },
    }, b.label)));
}

/** Mounts something that is not Preact (a Svelte component) into the entry's box, once per element. */
export type Mounter = (target: HTMLElement, element: DiagramElement, services: Services & { eventBus: EventBus }) => () => void;

interface EventBus {
  on(event: string, callback: (e: unknown) => void): void;
  off(event: string, callback: (e: unknown) => void): void;
}

function HdMount(props: { element: DiagramElement; id: string; mount: Mounter }) {
  const { element, id, mount } = props;
  const services = { ...useServices(), eventBus: useService<EventBus>('eventBus') };
  const ref = useRef<HTMLElement>(null);
  useEffect(() => (ref.current ? mount(ref.current, element, services) : undefined), [element]);
  return h('div', { class: 'bio-properties-panel-entry hd-mount', 'data-entry-id': id, ref });
}

export interface EntryDefinition {
  id: string;
  component: unknown;
  isEdited?: (node: unknown) => boolean;
  [prop: string]: unknown;
}

/** A one-line (or, with `area`, multi-line) text entry. */
export function textEntry(
  id: string, label: string, get: Getter<string>, set: Setter<string>,
  more: { description?: string; area?: boolean; monospace?: boolean; disabled?: boolean } = {},
): EntryDefinition {
  return { id, label, get, set, ...more, component: HdText, isEdited: more.area ? isTextAreaEntryEdited : isTextFieldEntryEdited };
}

/** A select entry over `options` (a list or a function of the element). */
export function selectEntry(
  id: string, label: string, options: Array<{ value: string; label: string }> | ((element: DiagramElement) => Array<{ value: string; label: string }>),
  get: Getter<string>, set: Setter<string>, more: { description?: string } = {},
): EntryDefinition {
  const list = typeof options === 'function' ? options : () => options;
  return { id, label, get, set, options: list, ...more, component: HdSelect, isEdited: isSelectEntryEdited };
}

export function checkboxEntry(id: string, label: string, get: Getter<boolean>, set: Setter<boolean>, more: { description?: string } = {}): EntryDefinition {
  return { id, label, get, set, ...more, component: HdCheckbox, isEdited: isCheckboxEntryEdited };
}

/**
 * A row of buttons, e.g. move up / move down of a list item.
 *
 * @example
 * buttonsEntry('hd-field-0-move', [{ label: '↑', title: 'Move up', run: (el, s) => move(el, 0, -1, s) }]);
 */
export function buttonsEntry(id: string, buttons: ButtonSpec[]): EntryDefinition {
  return { id, buttons, component: HdButtons, isEdited: () => false };
}

/** Options from plain values, keeping a current value that is not in the list. */
export function optionsOf(values: readonly string[], current?: string, empty?: string): Array<{ value: string; label: string }> {
  const list = [...values];
  if (current && !list.includes(current)) list.unshift(current);
  const options = list.map((v) => ({ value: v, label: v }));
  return empty === undefined ? options : [{ value: '', label: empty }, ...options];
}

/**
 * An entry whose content another framework draws: `mount` puts it into the box when the element is
 * selected and returns how to take it away.
 *
 * @example
 * mountEntry('hd-form-builder', (target, element, services) => { const c = mount(FormBuilder, { target, props }); return () => unmount(c); });
 */
export function mountEntry(id: string, mount: Mounter): EntryDefinition {
  return { id, mount, component: HdMount, isEdited: () => false };
}
