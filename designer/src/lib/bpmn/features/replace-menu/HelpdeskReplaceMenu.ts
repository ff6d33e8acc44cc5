/**
 * The "change element" menu offers only what the engine runs, and none of the loop,
 * multi-instance, compensation or ad-hoc toggles.
 */
import type { Entries } from '../../types';

const ALLOWED = new Set([
  'replace-with-none-start',
  'replace-with-none-end',
  'replace-with-user-task',
  'replace-with-script-task',
  'replace-with-service-task',
  'replace-with-call-activity',
  'replace-with-exclusive-gateway',
  'replace-with-parallel-gateway',
  'replace-with-timer-intermediate-catch',
  'replace-with-timer-boundary',
  'replace-with-non-interrupting-timer-boundary',
  'replace-with-error-boundary',
  'replace-with-sequence-flow',
  'replace-with-default-flow',
  'replace-with-conditional-flow',
]);

export default class HelpdeskReplaceMenu {
  static $inject = ['popupMenu'];

  constructor(popupMenu: { registerProvider(id: string, priority: number, provider: unknown): void }) {
    popupMenu.registerProvider('bpmn-replace', 500, this);
  }

  getPopupMenuEntries() {
    return (entries: Entries): Entries => Object.fromEntries(Object.entries(entries).filter(([key]) => ALLOWED.has(key)));
  }

  getPopupMenuHeaderEntries() {
    return (): Entries => ({});
  }
}
