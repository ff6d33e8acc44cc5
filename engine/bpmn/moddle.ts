/**
 * The BPMN metamodel with the helpdesk extension (`hd:`), shared with the designer: bpmn-js loads the
 * same descriptor (`helpdesk-moddle.json`) as a moddle extension.
 */
import { BpmnModdle } from 'bpmn-moddle';
import helpdeskDescriptor from './helpdesk-moddle.json' with { type: 'json' };

export { helpdeskDescriptor };

/** Namespace URI of the helpdesk extension. */
export const HD_URI = helpdeskDescriptor.uri;

/** `language` of a conditionExpression holding a process/1 condition as JSON. */
export const HD_CONDITION_LANGUAGE = 'application/vnd.helpdesk.condition+json';

/** `language` of a conditionExpression holding a sandbox expression. */
export const EXPRESSION_LANGUAGE = 'javascript';

/**
 * A fresh moddle instance that knows BPMN 2.0 and the `hd:` extension.
 *
 * @example
 * const moddle = createModdle();
 * const { rootElement } = await moddle.fromXML(xml);
 */
export function createModdle(): BpmnModdle {
  return new BpmnModdle({ hd: helpdeskDescriptor });
}
