/**
 * Call activity group: the called process (picked from the processes the API lists), the version
 * it is bound to (latest, or one deployed version) and whether it runs on the same or a child ticket.
 */
import { Group } from '@bpmn-io/properties-panel';
import type { DiagramElement } from '../../../types';
import { optionsOf, selectEntry, textEntry, type EntryDefinition } from '../components';
import { text, type GroupContext, type GroupDefinition } from '../shared';

/**
 * The groups of a call activity.
 *
 * @example
 * callActivityGroups(element, ctx); // [Called process]
 */
export function callActivityGroups(_element: DiagramElement, ctx: GroupContext): GroupDefinition[] {
  const processes = ctx.catalog.processes ?? [];
  const called = (el: DiagramElement) => text(el.businessObject.calledElement);
  const version = (el: DiagramElement) => text(el.businessObject.get('hd:calledVersion'));
  const entries: EntryDefinition[] = [];
  if (processes.length) {
    entries.push(
      selectEntry('hd-call-process', 'Process', (el) => [
        { value: '', label: '(choose)' },
        ...(called(el) && !processes.some((p) => p.key === called(el)) ? [{ value: called(el), label: `${called(el)} (not here)` }] : []),
        ...processes.map((p) => ({ value: p.key, label: p.name && p.name !== p.key ? `${p.name} (${p.key})` : p.key })),
      ], called, (el, v, s) => s.modeling.updateProperties(el, { calledElement: v || undefined, 'hd:calledVersion': undefined })),
      selectEntry('hd-call-version', 'Version', (el) => {
        const versions = processes.find((p) => p.key === called(el))?.versions ?? [];
        return [{ value: '', label: 'the latest active version' }, ...optionsOf(versions.map((n) => String(n)), version(el)).map((o) => ({ ...o, label: `version ${o.value}` }))];
      }, version, (el, v, s) => s.modeling.updateProperties(el, { 'hd:calledVersion': v || undefined })),
    );
  } else {
    entries.push(
      textEntry('hd-call-process', 'Process key', called, (el, v, s) => s.modeling.updateProperties(el, { calledElement: v.trim() || undefined })),
      textEntry('hd-call-version', 'Version', version, (el, v, s) => s.modeling.updateProperties(el, { 'hd:calledVersion': v.trim() || undefined }),
        { description: 'a number, or empty for the latest' }),
    );
  }
  entries.push(
    selectEntry('hd-call-binding', 'Runs on', [{ value: 'same-ticket', label: 'the same ticket' }, { value: 'child-ticket', label: 'a new child ticket' }],
      (el) => text(el.businessObject.get('hd:binding')) || 'same-ticket',
      (el, v, s) => s.modeling.updateProperties(el, { 'hd:binding': v })),
  );
  return [{ id: 'hd-call', label: 'Called process', component: Group, entries }];
}
