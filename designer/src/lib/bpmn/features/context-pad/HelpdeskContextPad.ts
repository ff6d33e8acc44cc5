/**
 * The context pad offers only what the engine runs: append end event, exclusive gateway, user task,
 * script task and timer; connect; change element (the filtered replace menu); delete.
 */
import type { AutoPlace, Create, DiagramElement, ElementFactory, Entries, Injector, Translate } from '../../types';

/** Standard entries that stay. */
const KEEP = new Set(['append.end-event', 'append.gateway', 'connect', 'replace', 'delete']);

export default class HelpdeskContextPad {
  static $inject = ['contextPad', 'elementFactory', 'create', 'injector', 'translate'];

  private readonly autoPlace: AutoPlace | null;

  constructor(
    contextPad: { registerProvider(priority: number, provider: unknown): void },
    private readonly elementFactory: ElementFactory,
    private readonly create: Create,
    injector: Injector,
    private readonly translate: Translate,
  ) {
    this.autoPlace = injector.get<AutoPlace | null>('autoPlace', false);
    contextPad.registerProvider(500, this);
  }

  private append(className: string, title: string, attrs: Record<string, unknown>) {
    const start = (event: Event, source: DiagramElement) => this.create.start(event, this.elementFactory.createShape(attrs), { source });
    const click = (event: Event, source: DiagramElement) => {
      if (this.autoPlace) this.autoPlace.append(source, this.elementFactory.createShape(attrs));
      else start(event, source);
    };
    return { group: 'model', className, title: this.translate(title), action: { dragstart: start, click } };
  }

  getContextPadEntries() {
    return (standard: Entries): Entries => {
      const entries: Entries = {};
      for (const [key, entry] of Object.entries(standard)) if (KEEP.has(key)) entries[key] = entry;
      if (standard['append.append-task']) {
        entries['append.user-task'] = this.append('bpmn-icon-user-task', 'Append user task', { type: 'bpmn:UserTask' });
        entries['append.script-task'] = this.append('bpmn-icon-script-task', 'Append script task', { type: 'bpmn:ScriptTask' });
        entries['append.timer'] = this.append('bpmn-icon-intermediate-event-catch-timer', 'Append timer', {
          type: 'bpmn:IntermediateCatchEvent',
          eventDefinitionType: 'bpmn:TimerEventDefinition',
        });
      }
      return entries;
    };
  }
}
