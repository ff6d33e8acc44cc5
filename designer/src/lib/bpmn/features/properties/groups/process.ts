/**
 * The process's own groups: who may start it and what customers read about it (the customer
 * description, never the admin's description), shown for the process and for its start event (with
 * the start form); and the "show to customer" switch of every step.
 */
import { m } from '$lib/i18n';
import { Group } from '@bpmn-io/properties-panel';
import { shownToCustomer } from '../../../../engine';
import type { DiagramElement } from '../../../types';
import { checkboxEntry, selectEntry, textEntry } from '../components';
import { extensionValues, processOf, writeExtension } from '../model';
import { interfaceOptions, text, type GroupContext, type GroupDefinition } from '../shared';
import { formBuilderGroup } from './form-builder';

function startingGroup(): GroupDefinition {
  return {
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
      textEntry('hd-process-customerDescription', m.pp_customer_description(),
        (el) => {
          const p = processOf(el);
          return text(p ? extensionValues(p, 'hd:CustomerDescription')[0]?.text : '');
        },
        (el, v, s) => {
          const p = processOf(el);
          if (p) writeExtension(el, 'hd:CustomerDescription', v.trim() ? { text: v } : undefined, s, p);
        },
        { area: true, description: m.pp_customer_description_help() }),
    ],
  };
}

/**
 * The groups of the process itself.
 *
 * @example
 * processGroups(element, ctx); // [Starting the process]
 */
export function processGroups(_element: DiagramElement, _ctx: GroupContext): GroupDefinition[] {
  return [startingGroup()];
}

/**
 * The groups of the start event: who starts the process, its customer description, the start form.
 *
 * @example
 * startEventGroups(element, ctx); // [Starting the process, Start form]
 */
export function startEventGroups(_element: DiagramElement, ctx: GroupContext): GroupDefinition[] {
  return [startingGroup(), formBuilderGroup('start', ctx)];
}

/** The "show to customer" switch of a step (default: on, except for automatic steps). */
export function portalGroup(): GroupDefinition {
  return {
    id: 'hd-portal',
    label: m.pp_portal(),
    component: Group,
    entries: [
      checkboxEntry('hd-showToCustomer', m.pp_show_to_customer(),
        (el) => {
          const v = el.businessObject.get('hd:showToCustomer');
          return shownToCustomer({ type: nodeType(el), ...(typeof v === 'boolean' ? { showToCustomer: v } : {}) });
        },
        (el, v, s) => s.modeling.updateProperties(el, { 'hd:showToCustomer': v }),
        { description: m.pp_show_to_customer_help() }),
    ],
  };
}

const TYPES: Record<string, string> = {
  'bpmn:ScriptTask': 'scriptTask', 'bpmn:ServiceTask': 'serviceTask', 'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway', 'bpmn:BoundaryEvent': 'boundaryTimer',
};

/** The process/1 node type an element stands for, as far as the default of "show to customer" needs it. */
function nodeType(el: DiagramElement): string {
  return TYPES[el.businessObject.$type as string] ?? 'other';
}
