/**
 * bpmn-js's `translate` in the interface language: the texts bpmn-js, diagram-js and the properties
 * panel show (group titles, element type names, standard entries) looked up in the message
 * catalogues by their English text; anything not listed stays English. Replaces `{name}` as
 * bpmn-js's own translate does.
 */
import { m } from '$lib/i18n';

const TEXTS: Record<string, () => string> = {
  General: m.bpmn_general,
  Name: m.bpmn_name,
  ID: m.bpmn_id,
  Documentation: m.bpmn_documentation,
  'Element documentation': m.bpmn_element_documentation,
  'Process documentation': m.bpmn_process_documentation,
  Timer: m.bpmn_timer,
  Type: m.col_type,
  Value: m.bpmn_value,
  Error: m.bpmn_error,
  Process: m.side_process,
  'User task': m.bpmn_user_task,
  'User Task': m.bpmn_user_task,
  'Script task': m.bpmn_script_task,
  'Script Task': m.bpmn_script_task,
  'Service task': m.bpmn_service_task,
  'Service Task': m.bpmn_service_task,
  'Call activity': m.bpmn_call_activity,
  'Call Activity': m.bpmn_call_activity,
  'Start event': m.bpmn_start_event,
  'Start Event': m.bpmn_start_event,
  'End event': m.bpmn_end_event,
  'End Event': m.bpmn_end_event,
  'Exclusive gateway': m.bpmn_exclusive_gateway,
  'Exclusive Gateway': m.bpmn_exclusive_gateway,
  'Parallel gateway': m.bpmn_parallel_gateway,
  'Parallel Gateway': m.bpmn_parallel_gateway,
  'Sequence flow': m.bpmn_sequence_flow,
  'Sequence Flow': m.bpmn_sequence_flow,
  Participant: m.bpmn_participant,
};

/**
 * @example
 * translate('General') // 'Allgemein' in German
 */
export function translate(template: string, replacements: Record<string, string> = {}): string {
  const own = Object.hasOwn(TEXTS, template) ? TEXTS[template]!() : template;
  return own.replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
}

export default { translate: ['value', translate] };
