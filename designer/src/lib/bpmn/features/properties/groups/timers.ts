/**
 * Timer group (timer events): a simple form — after / every N units (M times, from a start) / at a
 * date — that writes the ISO-8601 text the standard Timer group shows, and the timer in words
 * ("after 8 hours", "3 times every hour", "every Monday at 09:00 UTC").
 */
import { Group } from '@bpmn-io/properties-panel';
import { TIMER_UNITS, timerFromForm, timerInWords, timerToForm, type TimerForm, type TimerSpec } from '../../../../designer/timers';
import type { BusinessObject, DiagramElement } from '../../../types';
import type { EntryDefinition } from '../components';
import { selectEntry, textEntry } from '../components';
import type { Services } from '../model';
import { intOrUndefined, text, type GroupContext, type GroupDefinition } from '../shared';

/** The element's timer event definition, if it is a timer event. */
export function timerDefinition(element: DiagramElement): BusinessObject | undefined {
  return element.businessObject?.eventDefinitions?.find((d) => d?.$type === 'bpmn:TimerEventDefinition');
}

/** The timer of an element as ISO text (`{}` when none is set). */
export function timerSpec(element: DiagramElement): TimerSpec {
  const def = timerDefinition(element);
  const body = (key: string) => {
    const b = (def?.[key] as BusinessObject | undefined)?.body;
    return typeof b === 'string' && b.trim() ? b.trim() : undefined;
  };
  const spec: TimerSpec = {};
  const duration = body('timeDuration');
  const date = body('timeDate');
  const cycle = body('timeCycle');
  if (duration) spec.duration = duration;
  if (date) spec.date = date;
  if (cycle) spec.cycle = cycle;
  return spec;
}

function writeTimer(element: DiagramElement, spec: TimerSpec, s: Services): void {
  const def = timerDefinition(element);
  if (!def) return;
  const expr = (body: string | undefined) => (body === undefined ? undefined : s.bpmnFactory.create('bpmn:FormalExpression', { body }));
  s.modeling.updateModdleProperties(element, def, { timeDuration: expr(spec.duration), timeDate: expr(spec.date), timeCycle: expr(spec.cycle) });
}

const DEFAULT_FORM: TimerForm = { kind: 'after', amount: 1, unit: 'hours' };

/**
 * The "When it fires" group of a timer event.
 *
 * @example
 * timerGroups(element, ctx); // [When it fires]
 */
export function timerGroups(element: DiagramElement, _ctx: GroupContext): GroupDefinition[] {
  const form = (el: DiagramElement) => timerToForm(timerSpec(el));
  const change = (el: DiagramElement, s: Services, patch: Partial<TimerForm>) => writeTimer(el, timerFromForm({ ...(form(el) ?? DEFAULT_FORM), ...patch }), s);
  const current = form(element);
  const empty = Object.keys(timerSpec(element)).length === 0;
  const entries: EntryDefinition[] = [
    textEntry('hd-timer-preview', 'In words', (el) => timerInWords(timerSpec(el)), () => undefined,
      { disabled: true, description: 'the ISO-8601 text is under Timer: durations PT8H, dates 2025-03-01T09:00:00Z, cycles R3/PT1H' }),
  ];
  if (current || empty) {
    const kind = (el: DiagramElement) => form(el)?.kind ?? '';
    entries.push(selectEntry('hd-timer-kind', 'Fires', [
      ...(empty ? [{ value: '', label: '(choose)' }] : []),
      { value: 'after', label: 'once, after a while' },
      { value: 'every', label: 'repeatedly' },
      { value: 'at', label: 'at a date and time' },
    ], kind, (el, v, s) => {
      if (!v || v === kind(el)) return;
      const start = new Date(Date.now() + 86_400_000);
      start.setUTCHours(9, 0, 0, 0);
      change(el, s, v === 'at' ? { kind: 'at', start: start.toISOString().replace('.000', '') } : { kind: v as TimerForm['kind'], start: undefined });
    }));
    if (current && current.kind !== 'at') {
      entries.push(
        textEntry('hd-timer-amount', current.kind === 'after' ? 'After' : 'Every', (el) => text(form(el)?.amount),
          (el, v, s) => change(el, s, { amount: intOrUndefined(v) ?? 0 })),
        selectEntry('hd-timer-unit', 'Unit', TIMER_UNITS.map((u) => ({ value: u, label: u })), (el) => form(el)?.unit ?? 'hours',
          (el, v, s) => change(el, s, { unit: v as TimerForm['unit'] })),
      );
    }
    if (current?.kind === 'every') {
      entries.push(
        textEntry('hd-timer-times', 'How many times', (el) => text(form(el)?.times), (el, v, s) => change(el, s, { times: intOrUndefined(v) }),
          { description: 'empty: without end' }),
        textEntry('hd-timer-start', 'First time', (el) => text(form(el)?.start), (el, v, s) => change(el, s, { start: v.trim() || undefined }),
          { description: 'optional, e.g. 2025-03-03T09:00:00Z (a Monday: with 1 week, every Monday at 09:00)' }),
      );
    }
    if (current?.kind === 'at') {
      entries.push(textEntry('hd-timer-date', 'At', (el) => text(form(el)?.start), (el, v, s) => change(el, s, { start: v.trim() }),
        { description: 'ISO date and time, e.g. 2025-03-01T09:00:00Z' }));
    }
  }
  return [{ id: 'hd-timer', label: 'When it fires', component: Group, entries }];
}
