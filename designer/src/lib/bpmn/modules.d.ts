/**
 * Just enough typing for the bpmn-io packages that ship no TypeScript declarations: the properties
 * panel (bpmn-js-properties-panel 5) and its component library (@bpmn-io/properties-panel 3,
 * with its bundled Preact).
 */
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  export function useService<T = unknown>(name: string, strict?: boolean): T;
}

declare module '@bpmn-io/properties-panel' {
  type Component = (props: Record<string, unknown>) => unknown;
  export const TextFieldEntry: Component;
  export const TextAreaEntry: Component;
  export const SelectEntry: Component;
  export const CheckboxEntry: Component;
  export const NumberFieldEntry: Component;
  export const ListGroup: Component;
  export const Group: Component;
  export function isTextFieldEntryEdited(node: unknown): boolean;
  export function isTextAreaEntryEdited(node: unknown): boolean;
  export function isSelectEntryEdited(node: unknown): boolean;
  export function isCheckboxEntryEdited(node: unknown): boolean;
}

declare module '@bpmn-io/properties-panel/preact' {
  export function h(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): unknown;
}

declare module '@bpmn-io/properties-panel/preact/hooks' {
  export function useEffect(effect: () => void | (() => void), deps?: unknown[]): void;
  export function useRef<T>(initial: T | null): { current: T | null };
}
