/**
 * The process runtime (pure, browser-safe): `step` applies an event to an instance state and returns
 * the new state, the effects for the server to run and the log of what happened.
 *
 * @example
 * import { initialState, step } from './engine/runtime/index';
 * const r = step(process, initialState(), { type: 'start', snapshot: { ticket } }, { clock: () => now });
 */
export { step, raiseIncident } from './step';
export { initialState, currentNodes, STATE_VERSION, type Incident, type InstanceState, type InstanceStatus, type PathEntry, type Token, type WaitKind } from './state';
export type * from './events';
export type * from './effects';
export type { StepContext, StepResult } from './run';
export { DEFAULT_MAX_CHAIN, DEFAULT_PATH_LIMIT } from './run';
export type { EscalationSnapshot, PersonSnapshot, Snapshot, TicketSnapshot } from './snapshot';
export { TICKET_FIELD_PROPERTY } from './snapshot';
export { evaluateCondition, dateEpoch, type ConditionResult, type ExpressionEvaluator, type ExpressionScope } from './conditions';
export { fieldStates, isEmptyValue, type FieldState } from './field-rules';
export { checkPatch, MAX_PATCH_BYTES } from './patch';
export { overlayAction, resolveAction, resolveValue, templateContext } from './resolve';
export { dialogFor, dialogInterfaces, startOffered } from './nodes/user-task';
