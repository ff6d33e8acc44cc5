/** The params of script and service tasks: name → value (text or a template), in order. */
import { ListGroup } from '@bpmn-io/properties-panel';
import type { DiagramElement } from '../../../types';
import { textEntry } from '../components';
import { getParams, setParams, type Services } from '../model';
import { moveButtons, moved, text, type GroupContext, type GroupDefinition } from '../shared';

/**
 * The params list of a script or service task.
 *
 * @example
 * paramsGroup(element, ctx); // a ListGroup "Params" with name / value per item
 */
export function paramsGroup(element: DiagramElement, ctx: GroupContext): GroupDefinition {
  const params = getParams(element);
  const keys = Object.keys(params);
  const rename = (from: string, to: string, el: DiagramElement, s: Services) => {
    const current = getParams(el);
    if (!to || (to !== from && to in current)) return;
    setParams(el, Object.fromEntries(Object.entries(current).map(([k, v]) => [k === from ? to : k, v])), s);
  };
  return {
    id: 'hd-params',
    label: 'Params',
    component: ListGroup,
    add: (event: Event) => {
      event.stopPropagation();
      let n = keys.length + 1;
      while (`param${n}` in params) n++;
      setParams(element, { ...params, [`param${n}`]: '' }, ctx.services);
    },
    items: keys.map((key, i) => ({
      id: `hd-param-${i}`,
      label: key,
      autoFocusEntry: `hd-param-${i}-key`,
      remove: () => setParams(element, Object.fromEntries(Object.entries(getParams(element)).filter(([k]) => k !== key)), ctx.services),
      entries: [
        moveButtons(`hd-param-${i}-move`, i, (el) => Object.keys(getParams(el)).length,
          (el, step, s) => setParams(el, Object.fromEntries(moved(Object.entries(getParams(el)), i, step)), s)),
        textEntry(`hd-param-${i}-key`, 'Name', () => key, (el, v, s) => rename(key, v.trim(), el, s)),
        textEntry(`hd-param-${i}-value`, 'Value', (el) => text(getParams(el)[key]),
          (el, v, s) => setParams(el, { ...getParams(el), [key]: v }, s),
          { description: 'text or a template: {{ticket.title}}, {{ticket.dynamicFields.X}}, {{vars.x}}' }),
      ],
    })),
  };
}
