/**
 * Builds the bpmn-js Modeler of the designer: the `hd` moddle extension, the restricted palette,
 * context pad and replace menu, validation markers, keyboard shortcuts (bound to the focused canvas), and the properties panel with
 * the helpdesk provider. Everything bpmn-io is imported here, lazily, so the module is only loaded in
 * the browser (call `createModeler` from `onMount`).
 */
import { helpdeskDescriptor } from '../engine';
import type { Catalog } from './features/properties/index';

export type { Catalog };

/** The services of the modeler the page uses. */
export interface DesignerModeler {
  importXML(xml: string): Promise<{ warnings: unknown[] }>;
  saveXML(options?: { format?: boolean }): Promise<{ xml?: string }>;
  get<T = unknown>(name: string): T;
  on(event: string, callback: (event: unknown) => void): void;
  destroy(): void;
}

/** The modeler's code, loaded once (see `preloadModeler`). */
let modelerModules: ReturnType<typeof loadModelerModules> | null = null;

function loadModelerModules() {
  return Promise.all([
    import('bpmn-js/lib/Modeler'),
    import('bpmn-js-properties-panel'),
    import('./features/palette/index'),
    import('./features/context-pad/index'),
    import('./features/replace-menu/index'),
    import('./features/properties/index'),
    import('./features/validation/index'),
    import('./features/translate/index'),
    import('bpmn-js/dist/assets/diagram-js.css'),
    import('bpmn-js/dist/assets/bpmn-js.css'),
    import('bpmn-js/dist/assets/bpmn-font/css/bpmn.css'),
    import('@bpmn-io/properties-panel/dist/assets/properties-panel.css'),
  ]);
}

/**
 * Starts loading the modeler's code (bpmn-js, the properties panel, our modules) without waiting,
 * so a page can fetch its data meanwhile; `createModeler` uses the same loading.
 *
 * @example
 * export const load = () => { preloadModeler(); };
 */
export function preloadModeler(): void {
  modelerModules ??= loadModelerModules();
  modelerModules.catch(() => (modelerModules = null));
}

export async function createModeler(container: HTMLElement, propertiesParent: HTMLElement, catalog: Catalog): Promise<DesignerModeler> {
  modelerModules ??= loadModelerModules();
  const [{ default: Modeler }, panel, palette, contextPad, replaceMenu, properties, validation, translate] = await modelerModules;
  const modeler = new Modeler({
    container,
    propertiesPanel: { parent: propertiesParent },
    additionalModules: [
      panel.BpmnPropertiesPanelModule,
      panel.BpmnPropertiesProviderModule,
      palette.default,
      contextPad.default,
      replaceMenu.default,
      properties.default,
      validation.default,
      translate.default,
      { hdCatalog: ['value', catalog] },
    ],
    moddleExtensions: { hd: helpdeskDescriptor },
  });
  return modeler as unknown as DesignerModeler;
}

/** A read-only canvas (navigation only) for deployed versions. */
export async function createViewer(container: HTMLElement): Promise<DesignerModeler> {
  const [{ default: Viewer }] = await Promise.all([
    import('bpmn-js/lib/NavigatedViewer'),
    import('bpmn-js/dist/assets/diagram-js.css'),
    import('bpmn-js/dist/assets/bpmn-js.css'),
    import('bpmn-js/dist/assets/bpmn-font/css/bpmn.css'),
  ]);
  return new Viewer({ container, moddleExtensions: { hd: helpdeskDescriptor } }) as unknown as DesignerModeler;
}
