/**
 * The small slice of bpmn-js / diagram-js types the designer's extensions use. bpmn-js ships full
 * declarations, but the extension points (providers registered by name through didi) are untyped,
 * so these interfaces say what each extension relies on.
 */

/** A didi module: services by name, `__init__` and `__depends__`. */
export type ModuleDeclaration = Record<string, unknown>;

/** A moddle element (BPMN business object). */
export interface BusinessObject {
  $type: string;
  id: string;
  name?: string;
  $parent?: BusinessObject;
  extensionElements?: BusinessObject & { values?: BusinessObject[] };
  eventDefinitions?: BusinessObject[];
  conditionExpression?: BusinessObject & { body?: string; language?: string };
  attachedToRef?: BusinessObject;
  [property: string]: unknown;
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  $instanceOf(type: string): boolean;
}

/** A diagram element (shape or connection). */
export interface DiagramElement {
  id: string;
  type: string;
  businessObject: BusinessObject;
  labelTarget?: DiagramElement;
  waypoints?: unknown[];
}

export interface Modeling {
  updateProperties(element: DiagramElement, properties: Record<string, unknown>): void;
  updateModdleProperties(element: DiagramElement, moddleElement: BusinessObject, properties: Record<string, unknown>): void;
}

export interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): BusinessObject;
}

export interface ElementFactory {
  createShape(attrs: Record<string, unknown>): DiagramElement;
}

export interface Create {
  start(event: Event, shape: DiagramElement, context?: Record<string, unknown>): void;
}

export interface AutoPlace {
  append(source: DiagramElement, shape: DiagramElement): void;
}

export interface Injector {
  get<T = unknown>(name: string, strict?: boolean): T;
}

export interface Translate {
  (text: string, replacements?: Record<string, string>): string;
}

/** A palette / context pad / popup entry. */
export interface ActionEntry {
  group?: string;
  className?: string;
  title?: string;
  label?: string;
  action?: unknown;
  [key: string]: unknown;
}

export type Entries = Record<string, ActionEntry>;
