/**
 * Fits a diagram into its canvas so that nothing hides under what is drawn over it: the palette on
 * the left (when there is one) and a margin all round. Used when a process is opened and by Fit.
 */
import type { DesignerModeler } from '../bpmn/modeler';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Canvas {
  viewbox(box?: Box): { inner: Box; outer: Box };
  getContainer(): HTMLElement;
}

/**
 * Zooms so the whole diagram shows (never above 100 %), clear of the palette and with `margin`
 * pixels all round.
 *
 * @example
 * await modeler.importXML(xml); fitDiagram(modeler);
 */
export function fitDiagram(modeler: DesignerModeler, margin = 24): void {
  const canvas = modeler.get<Canvas>('canvas');
  const { inner, outer } = canvas.viewbox();
  if (!inner.width || !inner.height || !outer.width || !outer.height) return;
  const palette = canvas.getContainer().querySelector('.djs-palette') as HTMLElement | null;
  const left = (palette?.offsetWidth ?? 0) + margin + (palette ? 8 : 0);
  const room = { w: outer.width - left - margin, h: outer.height - 2 * margin };
  if (room.w <= 0 || room.h <= 0) return;
  const scale = Math.min(1, room.w / inner.width, room.h / inner.height);
  // Centre what is left of the room after the palette.
  const x = inner.x - (left + (room.w - inner.width * scale) / 2) / scale;
  const y = inner.y - (margin + (room.h - inner.height * scale) / 2) / scale;
  canvas.viewbox({ x, y, width: outer.width / scale, height: outer.height / scale });
}
