/** Script task groups: the script (from the library, by name and version, or inline) and its params. */
import { Group } from '@bpmn-io/properties-panel';
import type { DiagramElement } from '../../../types';
import { selectEntry, textEntry, type EntryDefinition } from '../components';
import { intOrUndefined, text, type GroupContext, type GroupDefinition } from '../shared';
import { paramsGroup } from './params';

/**
 * The groups of a script task.
 *
 * @example
 * scriptTaskGroups(element, ctx); // [Script, Params]
 */
export function scriptTaskGroups(element: DiagramElement, ctx: GroupContext): GroupDefinition[] {
  return [scriptGroup(element), paramsGroup(element, ctx)];
}

function scriptGroup(element: DiagramElement): GroupDefinition {
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
        (el, v, s) => s.modeling.updateProperties(el, { 'hd:scriptRef': v.trim() }), { description: 'a script of the library (Admin → Scripts)' }),
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
