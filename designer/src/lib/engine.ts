// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- engine/ types bpmn-moddle in a global declaration file, which cannot be imported
/// <reference path="../../../engine/bpmn/bpmn-moddle.d.ts" />
/**
 * The parts of the pure process core the designer uses, so the canvas converts and validates
 * exactly as the server does. Only `engine/index` (never `engine/sandbox/`, never `server/`).
 */
export {
  ACTION_TYPES, ACTIONS, CONDITION_OPS, DIALOG_TICKET_FIELDS, CONDITION_TICKET_FIELDS, HD_CONDITION_LANGUAGE,
  describeTimer, fieldStates, fromBpmn, shownToCustomer, startOffered, helpdeskDescriptor, isDeployable, layoutProcess, toBpmn, validateProcess, withElkLayout,
} from '$engine/index';
export type {
  Action, ActionType, Comparison, Condition, ConditionOp, Dialog, DialogField, Display, FieldRule, FieldRuleEffect, FieldState, I18n, Interface, Problem, Process, ProcessNode,
  ProcessState, Transition,
} from '$engine/index';
