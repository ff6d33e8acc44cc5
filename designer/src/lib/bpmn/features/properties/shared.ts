/**
 * What the helpdesk property groups share: the catalogue the pickers offer, the group shape the
 * properties panel expects, small text helpers and the move up / move down buttons of list items.
 */
import type { I18n } from '../../../engine';
import { baseLocale, languageName, locales, m } from '$lib/i18n';
import type { DiagramElement } from '../../types';
import { buttonsEntry, textEntry, type EntryDefinition } from './components';
import type { Services } from './model';

/** An outbound web service and its operations (for the service task picker). */
export interface ServiceInfo {
  name: string;
  operations: string[];
}

/** A process another one may call, with its deployed version numbers. */
export interface CallableProcess {
  key: string;
  name: string;
  versions: number[];
}

/** What the pickers offer; filled from the API by the page (the panel reads it on every render). */
export interface Catalog {
  dynamicFields: string[];
  /** The ticket dynamic fields with their label, type and choices (for the form builder's preview). */
  dynamicFieldDefs?: Array<{ name: string; label: string; fieldType: string; possibleValues?: Record<string, string> }>;
  /** Creates a dynamic field through the API and refreshes the lists (the form builder's "new field"). */
  createDynamicField?: (field: { name: string; label: string; fieldType: string; possibleValues?: Record<string, string>; customerVisible?: boolean }) => Promise<void>;
  queues: string[];
  states: string[];
  priorities: string[];
  types: string[];
  /** Outbound services; empty when the API is not there (then names are typed in). */
  services?: ServiceInfo[];
  /** Processes a call activity may call. */
  processes?: CallableProcess[];
}

/** One group of the properties panel (a `Group` or a `ListGroup`). */
export interface GroupDefinition {
  id: string;
  label: string;
  component: unknown;
  entries?: EntryDefinition[];
  items?: Array<{ id: string; label: string; entries: EntryDefinition[]; remove: () => void; autoFocusEntry?: string }>;
  add?: (event: Event) => void;
  /** Open when first shown. */
  shouldOpen?: boolean;
}

/** What every group builder gets. */
export interface GroupContext {
  services: Services;
  catalog: Catalog;
}

/** Where a dialog or start is offered, labelled in the interface language. */
export const interfaceOptions = () => [
  { value: 'agent', label: m.pp_iface_agent() },
  { value: 'customer', label: m.pp_iface_customer() },
  { value: 'agent customer', label: m.pp_iface_both() },
];

export function is(element: DiagramElement, type: string): boolean {
  return element.businessObject?.$instanceOf?.(type) ?? false;
}

/** A value as text for an input (`''` for none). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

export function intOrUndefined(value: string): number | undefined {
  const n = Number.parseInt(value.trim(), 10);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The list with item `i` moved by `step` (−1 up, +1 down); the same list when it cannot move.
 *
 * @example
 * moved(['a', 'b', 'c'], 2, -1); // ['a', 'c', 'b']
 */
export function moved<T>(list: readonly T[], i: number, step: -1 | 1): T[] {
  const j = i + step;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const copy = [...list];
  [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  return copy;
}

/** Move up / move down buttons of item `i` of a list read by `length` and reordered by `move`. */
export function moveButtons(
  id: string, i: number, length: (el: DiagramElement) => number, move: (el: DiagramElement, step: -1 | 1, s: Services) => void,
): EntryDefinition {
  return buttonsEntry(id, [
    { label: `↑ ${m.pp_up()}`, title: m.move_up(), disabled: () => i === 0, run: (el, s) => move(el, -1, s) },
    { label: `↓ ${m.pp_down()}`, title: m.move_down(), disabled: (el) => i >= length(el) - 1, run: (el, s) => move(el, 1, s) },
  ]);
}

/**
 * `i18n` with the `property` text of `language` set (empty text: removed); `undefined` when no
 * translation is left.
 *
 * @example
 * withTranslation(undefined, 'de', 'name', 'Prüfung') // { de: { name: 'Prüfung' } }
 */
export function withTranslation(i18n: I18n | undefined, language: string, property: string, value: string): I18n | undefined {
  const next: I18n = structuredClone(i18n ?? {});
  const texts = { ...(next[language] ?? {}) };
  if (value.trim()) texts[property] = value;
  else delete texts[property];
  if (Object.keys(texts).length) next[language] = texts;
  else delete next[language];
  return Object.keys(next).length ? next : undefined;
}

/**
 * One text entry per language besides the base one for the translation of a text (`label` says
 * which: "Dialog title (Deutsch)"), read from and written to an `i18n` map.
 */
export function translationEntries(
  id: string, label: string, property: string,
  read: (el: DiagramElement) => I18n | undefined, write: (el: DiagramElement, i18n: I18n | undefined, s: Services) => void,
): EntryDefinition[] {
  return locales.filter((l) => l !== baseLocale).map((language) =>
    textEntry(`${id}-${language}`, m.pp_in_language({ label, language: languageName(language) }),
      (el) => text(read(el)?.[language]?.[property]),
      (el, v, s) => write(el, withTranslation(read(el), language, property, v), s)));
}
