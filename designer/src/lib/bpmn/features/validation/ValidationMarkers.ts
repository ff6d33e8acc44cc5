/**
 * Shows validation problems on the canvas: a red (error) or amber (warning) outline on each shape or
 * flow with problems, and a badge with their count. `show()` replaces what was shown before.
 */
import type { Problem } from '../../../engine';

interface Canvas {
  addMarker(element: string, marker: string): void;
  removeMarker(element: string, marker: string): void;
}

interface Overlays {
  add(element: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}

interface ElementRegistry {
  get(id: string): { waypoints?: Array<{ x: number; y: number }> } | undefined;
}

/** Where the badge goes: a shape's top-right corner, or the middle of a flow's middle segment. */
function badgePosition(element: { waypoints?: Array<{ x: number; y: number }> }): Record<string, number> {
  const points = element.waypoints;
  if (!points?.length) return { top: -8, right: 8 };
  const minX = Math.min(...points.map((p) => p.x));
  const minY = Math.min(...points.map((p) => p.y));
  const i = Math.max(0, Math.floor((points.length - 1) / 2));
  const a = points[i]!;
  const b = points[i + 1] ?? a;
  return { left: (a.x + b.x) / 2 - minX - 10, top: (a.y + b.y) / 2 - minY - 10 };
}

const MARKERS = ['hd-problem-error', 'hd-problem-warning'];

export default class ValidationMarkers {
  static $inject = ['canvas', 'overlays', 'elementRegistry'];

  private marked: string[] = [];

  constructor(
    private readonly canvas: Canvas,
    private readonly overlays: Overlays,
    private readonly elementRegistry: ElementRegistry,
  ) {}

  /** Marks the elements the problems are about; problems about the whole process mark nothing. */
  show(problems: Problem[]): void {
    this.clear();
    const byElement = new Map<string, Problem[]>();
    for (const p of problems) {
      const id = p.nodeId ?? p.transitionId;
      if (!id || !this.elementRegistry.get(id)) continue;
      byElement.set(id, [...(byElement.get(id) ?? []), p]);
    }
    for (const [id, list] of byElement) {
      const severity = list.some((p) => p.severity === 'error') ? 'error' : 'warning';
      this.canvas.addMarker(id, `hd-problem-${severity}`);
      const badge = document.createElement('div');
      badge.className = `hd-problem-badge hd-problem-badge-${severity}`;
      badge.textContent = String(list.length);
      badge.title = list.map((p) => p.message).join('\n');
      badge.dataset.element = id;
      this.overlays.add(id, 'hd-validation', { position: badgePosition(this.elementRegistry.get(id)!), html: badge });
      this.marked.push(id);
    }
  }

  clear(): void {
    this.overlays.remove({ type: 'hd-validation' });
    for (const id of this.marked) {
      if (!this.elementRegistry.get(id)) continue;
      for (const marker of MARKERS) this.canvas.removeMarker(id, marker);
    }
    this.marked = [];
  }
}
