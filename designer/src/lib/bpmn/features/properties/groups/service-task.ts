/**
 * Service task groups: the outbound service and operation (picked from the services the API lists,
 * typed in when it lists none), timeout, retries, params and the mapping of failures to error codes.
 */
import { Group, ListGroup } from '@bpmn-io/properties-panel';
import type { DiagramElement } from '../../../types';
import { optionsOf, selectEntry, textEntry, type EntryDefinition } from '../components';
import { extensionValues, writeAll, type Services } from '../model';
import { intOrUndefined, moveButtons, moved, text, type GroupContext, type GroupDefinition } from '../shared';
import { paramsGroup } from './params';

/**
 * The groups of a service task.
 *
 * @example
 * serviceTaskGroups(element, ctx); // [Web service call, Params, Error codes]
 */
export function serviceTaskGroups(element: DiagramElement, ctx: GroupContext): GroupDefinition[] {
  return [serviceGroup(ctx), paramsGroup(element, ctx), errorMappingGroup(element, ctx)];
}

function serviceGroup(ctx: GroupContext): GroupDefinition {
  const attr = (key: string, int = false) => ({
    get: (el: DiagramElement) => text(el.businessObject.get(key)),
    set: (el: DiagramElement, v: string, s: Services) => s.modeling.updateProperties(el, { [key]: int ? intOrUndefined(v) : v.trim() || undefined }),
  });
  const services = ctx.catalog.services ?? [];
  const entries: EntryDefinition[] = [];
  if (services.length) {
    entries.push(
      selectEntry('hd-service-webservice', 'Outbound service', (el) => optionsOf(services.map((x) => x.name), attr('hd:webservice').get(el), '(choose)'),
        attr('hd:webservice').get,
        (el, v, s) => {
          // A new service: its first operation, unless the current one exists there too.
          const ops = services.find((x) => x.name === v)?.operations ?? [];
          const op = text(el.businessObject.get('hd:operation'));
          s.modeling.updateProperties(el, { 'hd:webservice': v || undefined, 'hd:operation': ops.includes(op) ? op : ops[0] });
        }),
      selectEntry('hd-service-operation', 'Operation', (el) => optionsOf(
        services.find((x) => x.name === attr('hd:webservice').get(el))?.operations ?? [], attr('hd:operation').get(el), '(choose)'),
      attr('hd:operation').get, attr('hd:operation').set),
    );
  } else {
    entries.push(
      textEntry('hd-service-webservice', 'Outbound service', attr('hd:webservice').get, attr('hd:webservice').set, { description: 'the name of an outbound service (Admin → Services)' }),
      textEntry('hd-service-operation', 'Operation', attr('hd:operation').get, attr('hd:operation').set),
    );
  }
  entries.push(
    textEntry('hd-service-timeout', 'Timeout (ms)', attr('hd:timeoutMs', true).get, attr('hd:timeoutMs', true).set, { description: 'empty: the service\'s own timeout' }),
    textEntry('hd-service-retries', 'Retries', attr('hd:retries', true).get, attr('hd:retries', true).set, { description: 'tries after the first, with growing pauses' }),
  );
  return { id: 'hd-service', label: 'Web service call', component: Group, entries };
}

function errorMappingGroup(element: DiagramElement, ctx: GroupContext): GroupDefinition {
  const read = (el: DiagramElement) => extensionValues(el.businessObject, 'hd:ErrorMapping').map((m) => ({ when: text(m.when), code: text(m.code) }));
  const mappings = read(element);
  const update = (el: DiagramElement, i: number, key: 'when' | 'code', v: string, s: Services) =>
    writeAll(el, 'hd:ErrorMapping', read(el).map((m, j) => (j === i ? { ...m, [key]: v.trim() } : m)), s);
  return {
    id: 'hd-errors',
    label: 'Error codes',
    component: ListGroup,
    add: (event: Event) => {
      event.stopPropagation();
      writeAll(element, 'hd:ErrorMapping', [...mappings, { when: '5XX', code: 'HTTP_5XX' }], ctx.services);
    },
    items: mappings.map((m, i) => ({
      id: `hd-error-${i}`,
      label: `${m.when || '?'} → ${m.code || '?'}`,
      autoFocusEntry: `hd-error-${i}-when`,
      remove: () => writeAll(element, 'hd:ErrorMapping', read(element).filter((_, j) => j !== i), ctx.services),
      entries: [
        moveButtons(`hd-error-${i}-move`, i, (el) => read(el).length, (el, step, s) => writeAll(el, 'hd:ErrorMapping', moved(read(el), i, step), s)),
        textEntry(`hd-error-${i}-when`, 'When', (el) => read(el)[i]?.when ?? '', (el, v, s) => update(el, i, 'when', v, s),
          { description: 'an HTTP status or class (404, 5XX), timeout, network or invalidResponse' }),
        textEntry(`hd-error-${i}-code`, 'Error code', (el) => read(el)[i]?.code ?? '', (el, v, s) => update(el, i, 'code', v, s),
          { description: 'caught by a boundary error event with this code' }),
      ],
    })),
  };
}
