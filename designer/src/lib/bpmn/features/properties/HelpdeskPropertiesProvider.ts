/**
 * The helpdesk's properties: keeps the standard groups that mean something here (general: name and
 * id; documentation: the description; timer; error) and adds the `hd:` ones, one file per element
 * type in `groups/`: user task (dialog, fields, assignment), script task, service task, call
 * activity, transition (condition builder, actions), timers, the process.
 */
import type { DiagramElement } from '../../types';
import type { Services } from './model';
import { is, type Catalog, type GroupContext, type GroupDefinition } from './shared';
import { callActivityGroups } from './groups/call-activity';
import { portalGroup, processGroups, startEventGroups } from './groups/process';
import { scriptTaskGroups } from './groups/script-task';
import { serviceTaskGroups } from './groups/service-task';
import { timerDefinition, timerGroups } from './groups/timers';
import { transitionGroups } from './groups/transitions';
import { userTaskGroups } from './groups/user-task';
import type { BpmnFactory, Modeling } from '../../types';

export type { Catalog } from './shared';

const STANDARD_GROUPS = new Set(['general', 'documentation', 'timer', 'error']);

/** Element type → the builder of its helpdesk groups (first match wins). */
const BUILDERS: Array<[string, (element: DiagramElement, ctx: GroupContext) => GroupDefinition[]]> = [
  ['bpmn:UserTask', userTaskGroups],
  ['bpmn:StartEvent', startEventGroups],
  ['bpmn:ScriptTask', scriptTaskGroups],
  ['bpmn:ServiceTask', serviceTaskGroups],
  ['bpmn:CallActivity', callActivityGroups],
  ['bpmn:SequenceFlow', transitionGroups],
  ['bpmn:Process', processGroups],
  ['bpmn:Collaboration', processGroups],
];

export default class HelpdeskPropertiesProvider {
  static $inject = ['propertiesPanel', 'modeling', 'bpmnFactory', 'hdCatalog'];

  private readonly ctx: GroupContext;

  constructor(
    propertiesPanel: { registerProvider(priority: number, provider: unknown): void },
    modeling: Modeling,
    bpmnFactory: BpmnFactory,
    catalog: Catalog,
  ) {
    const services: Services = { modeling, bpmnFactory };
    this.ctx = { services, catalog };
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element: DiagramElement) {
    return (standard: GroupDefinition[]): GroupDefinition[] => {
      const groups = standard.filter((g) => STANDARD_GROUPS.has(g.id));
      const builder = BUILDERS.find(([type]) => is(element, type));
      if (builder) groups.push(...builder[1](element, this.ctx));
      if (is(element, 'bpmn:FlowNode')) groups.push(portalGroup());
      if (timerDefinition(element)) {
        const at = groups.findIndex((g) => g.id === 'timer');
        groups.splice(at < 0 ? groups.length : at + 1, 0, ...timerGroups(element, this.ctx));
      }
      return groups;
    };
  }
}
