/**
 * The form builder group: the start form (the start event) or a user task's dialog, edited by the
 * Svelte FormBuilder mounted into the properties panel. It reads and writes the dialog through the
 * model helpers (one modeling command per change, so undo covers it) and hears canvas changes on
 * the event bus.
 */
import { mount, unmount } from 'svelte';
import { Group } from '@bpmn-io/properties-panel';
import { m } from '$lib/i18n';
import type { Dialog } from '../../../../engine';
import FormBuilder from '$lib/designer/form-builder/FormBuilder.svelte';
import { mountEntry, type Mounter } from '../components';
import { getDialog, getStartDialog, setStartDialog, writeJson } from '../model';
import type { GroupContext, GroupDefinition } from '../shared';

/**
 * The form builder of the start event (`start`) or a user task (`task`).
 *
 * @example
 * formBuilderGroup('task', ctx); // { id: 'hd-form', label: 'Form', ... }
 */
export function formBuilderGroup(kind: 'start' | 'task', ctx: GroupContext): GroupDefinition {
  const mounter: Mounter = (target, element, services) => {
    const read = (): Dialog => (kind === 'start' ? getStartDialog(element) : getDialog(element));
    const write = (d: Dialog) => (kind === 'start' ? setStartDialog(element, d, services) : writeJson(element, 'hd:Dialog', d, services));
    const component = mount(FormBuilder, {
      target,
      props: {
        source: {
          kind,
          name: () => String((element.businessObject as { name?: unknown }).name ?? ''),
          read,
          write,
          catalog: ctx.catalog,
          subscribe: (cb: () => void) => {
            const listener = () => cb();
            services.eventBus.on('commandStack.changed', listener);
            return () => services.eventBus.off('commandStack.changed', listener);
          },
        },
      },
    });
    return () => void unmount(component);
  };
  return {
    id: 'hd-form',
    label: kind === 'start' ? m.fb_start_title() : m.fb_title(),
    component: Group,
    shouldOpen: true,
    entries: [mountEntry('hd-form-builder', mounter)],
  };
}

