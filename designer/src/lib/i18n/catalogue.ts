/**
 * Names of the shipped catalogue entries (the states and priorities a new install has, as OTOBO's
 * language files translate them) in the reader's language. Names an administrator gave are
 * shown as they are.
 */
import { m } from '$lib/paraglide/messages';

const STATES: Record<string, () => string> = {
  new: m.state_new,
  open: m.state_open,
  'closed successful': m.state_closed_successful,
  'closed unsuccessful': m.state_closed_unsuccessful,
  'pending reminder': m.state_pending_reminder,
  'pending auto close+': m.state_pending_auto_close_plus,
  'pending auto close-': m.state_pending_auto_close_minus,
  'pending auto': m.state_pending_auto,
  closed: m.state_closed,
  merged: m.state_merged,
  removed: m.state_removed,
};

const PRIORITIES: Record<string, () => string> = {
  '1 very low': m.priority_1,
  '2 low': m.priority_2,
  '3 normal': m.priority_3,
  '4 high': m.priority_4,
  '5 very high': m.priority_5,
};

/**
 * A state's (or state type's) name in the interface language.
 *
 * @example
 * stateName('closed successful') // 'erfolgreich geschlossen' in German
 */
export function stateName(name: string): string {
  return Object.hasOwn(STATES, name) ? STATES[name]!() : name;
}

/** A priority's name in the interface language (`3 normal` -> `3 normal`, `4 high` -> `4 hoch`). */
export function priorityName(name: string): string {
  return Object.hasOwn(PRIORITIES, name) ? PRIORITIES[name]!() : name;
}
