/** Process group (the process or its collaboration): who may start it. */
import { m } from '$lib/i18n';
import { Group } from '@bpmn-io/properties-panel';
import type { BusinessObject, DiagramElement } from '../../../types';
import { selectEntry } from '../components';
import { interfaceOptions, text, type GroupContext, type GroupDefinition } from '../shared';

function processOf(el: DiagramElement): BusinessObject | undefined {
  const bo = el.businessObject;
  if (bo.$instanceOf('bpmn:Process')) return bo;
  const participant = (bo.participants as BusinessObject[] | undefined)?.[0];
  return participant?.processRef as BusinessObject | undefined;
}

/**
 * The groups of the process itself.
 *
 * @example
 * processGroups(element, ctx); // [Starting the process]
 */
export function processGroups(_element: DiagramElement, _ctx: GroupContext): GroupDefinition[] {
  return [{
    id: 'hd-process',
    label: m.pp_starting(),
    component: Group,
    entries: [
      selectEntry('hd-process-interfaces', m.pp_who_starts(), interfaceOptions(),
        (el) => text(processOf(el)?.get('hd:startInterfaces')) || 'agent',
        (el, v, s) => {
          const p = processOf(el);
          if (p) s.modeling.updateModdleProperties(el, p, { 'hd:startInterfaces': v });
        }),
    ],
  }];
}
