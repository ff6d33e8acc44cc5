/**
 * The palette offers only what the engine runs: start, end and timer events, user / script /
 * service tasks, call activities, exclusive and parallel gateways, and the tools. It filters the
 * standard bpmn-js palette (registered after it) and adds the typed tasks.
 */
import type { Create, ElementFactory, Entries, Translate } from '../../types';

/** Standard entries that stay, in palette order. */
const KEEP = ['hand-tool', 'lasso-tool', 'space-tool', 'global-connect-tool', 'tool-separator', 'create.start-event', 'create.end-event'];

export default class HelpdeskPalette {
  static $inject = ['palette', 'elementFactory', 'create', 'translate'];

  constructor(
    palette: { registerProvider(priority: number, provider: unknown): void },
    private readonly elementFactory: ElementFactory,
    private readonly create: Create,
    private readonly translate: Translate,
  ) {
    palette.registerProvider(500, this);
  }

  private entry(group: string, className: string, title: string, attrs: Record<string, unknown>) {
    const start = (event: Event) => this.create.start(event, this.elementFactory.createShape(attrs));
    return { group, className, title: this.translate(title), action: { dragstart: start, click: start } };
  }

  getPaletteEntries() {
    return (standard: Entries): Entries => {
      const entries: Entries = {};
      for (const key of KEEP) if (standard[key]) entries[key] = standard[key];
      entries['create.intermediate-timer'] = this.entry('event', 'bpmn-icon-intermediate-event-catch-timer', 'Create timer (intermediate or, dropped on a task, boundary)', {
        type: 'bpmn:IntermediateCatchEvent',
        eventDefinitionType: 'bpmn:TimerEventDefinition',
      });
      entries['create.exclusive-gateway'] = this.entry('gateway', 'bpmn-icon-gateway-xor', 'Create exclusive gateway', { type: 'bpmn:ExclusiveGateway' });
      entries['create.parallel-gateway'] = this.entry('gateway', 'bpmn-icon-gateway-parallel', 'Create parallel gateway', { type: 'bpmn:ParallelGateway' });
      entries['create.user-task'] = this.entry('activity', 'bpmn-icon-user-task', 'Create user task (a dialog)', { type: 'bpmn:UserTask' });
      entries['create.script-task'] = this.entry('activity', 'bpmn-icon-script-task', 'Create script task', { type: 'bpmn:ScriptTask' });
      entries['create.service-task'] = this.entry('activity', 'bpmn-icon-service-task', 'Create service task (web service call)', { type: 'bpmn:ServiceTask' });
      entries['create.call-activity'] = this.entry('activity', 'bpmn-icon-call-activity', 'Create call activity (another process)', { type: 'bpmn:CallActivity' });
      return entries;
    };
  }
}
