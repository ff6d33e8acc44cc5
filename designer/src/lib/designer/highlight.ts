/**
 * Markers and badges drawn over a bpmn-js canvas for one purpose (test-mode path, monitoring
 * figures): `show` replaces what this highlighter drew before, `clear` removes it. The page's CSS
 * styles the marker classes.
 */
import type { DesignerModeler } from '../bpmn/modeler';

interface Canvas {
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
}
interface Overlays {
  add(id: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}
interface ElementRegistry {
  get(id: string): unknown;
}

export interface Badge {
  element: string;
  html: HTMLElement;
  position?: Record<string, number>;
}

export class Highlighter {
  private drawn: Array<[string, string]> = [];

  /** `type` names the overlays (and must be unique per highlighter on a canvas). */
  constructor(private readonly modeler: DesignerModeler, private readonly type: string) {}

  /**
   * Draws `markers` (element id → marker classes) and `badges`, after removing the previous ones;
   * ids not on the canvas are skipped.
   *
   * @example
   * highlighter.show(new Map([['approve', ['hd-sim-visited']]]), []);
   */
  show(markers: Map<string, string[]>, badges: Badge[] = []): void {
    this.clear();
    const canvas = this.modeler.get<Canvas>('canvas');
    const registry = this.modeler.get<ElementRegistry>('elementRegistry');
    const overlays = this.modeler.get<Overlays>('overlays');
    for (const [id, classes] of markers) {
      if (!registry.get(id)) continue;
      for (const c of classes) {
        canvas.addMarker(id, c);
        this.drawn.push([id, c]);
      }
    }
    for (const b of badges) if (registry.get(b.element)) overlays.add(b.element, this.type, { position: b.position ?? { top: -12, right: 12 }, html: b.html });
  }

  clear(): void {
    const canvas = this.modeler.get<Canvas>('canvas');
    const registry = this.modeler.get<ElementRegistry>('elementRegistry');
    for (const [id, c] of this.drawn) if (registry.get(id)) canvas.removeMarker(id, c);
    this.drawn = [];
    this.modeler.get<Overlays>('overlays').remove({ type: this.type });
  }
}

/** A small badge element with text, classes and data attributes. */
export function badge(text: string, className: string, data: Record<string, string> = {}, title?: string): HTMLElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  if (title) el.title = title;
  for (const [k, v] of Object.entries(data)) el.dataset[k] = v;
  return el;
}
