/**
 * Generic entries of the helpdesk properties groups, as stable Preact components (module-level, so
 * a re-render after a change keeps the input and its focus). Each takes `get` / `set` functions in
 * its props; `set` receives the modeling services.
 */
import {
  CheckboxEntry, SelectEntry, TextAreaEntry, TextFieldEntry,
  isCheckboxEntryEdited, isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited,
} from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
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

/** Options from plain values, keeping a current value that is not in the list. */
export function optionsOf(values: readonly string[], current?: string, empty?: string): Array<{ value: string; label: string }> {
  const list = [...values];
  if (current && !list.includes(current)) list.unshift(current);
  const options = list.map((v) => ({ value: v, label: v }));
  return empty === undefined ? options : [{ value: '', label: empty }, ...options];
}
