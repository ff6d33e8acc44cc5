/**
 * The process core's public API (pure: runs in Node and in the browser).
 *
 * - the format `process/1`: types, JSON Schema, action registry, templates, ISO-8601 timers;
 * - validation (`validateProcess`) and the references a process needs (`collectReferences`);
 * - conversion: BPMN 2.0 XML both ways, OTOBO/Znuny YAML import, canonical JSON, diff;
 * - typed errors that survive JSON (`ProcessFormatError`, `EventRefused`, `engineErrorFromJSON`);
 * - the runtime: the pure step function (`step`, `initialState`, events, effects, instance state).
 *
 * The sandbox (`engine/sandbox/`) is NOT exported here: it uses worker threads and is node-only.
 *
 * @example
 * import { importProcess, isDeployable } from './engine/index';
 * const { process, problems } = await importProcess(bytes);
 * if (!isDeployable(problems)) for (const p of problems) console.log(`${p.path}: ${p.message}`);
 */
export * from './errors';
export * from './model/types';
export { ACTIONS, ACTION_TYPES, actionDefinition, type ActionDefinition, type ReferenceUse } from './model/actions';
export { CONDITION_OPS, eachComparison } from './model/conditions';
export { CONDITION_TICKET_FIELDS, DIALOG_TICKET_FIELDS, parseFieldName, type ReferenceKind } from './model/fields';
export { buildProcessSchema, MAX_PROCESS_NODES, MAX_PROCESS_TRANSITIONS, processSchema, SCHEMA_ID } from './model/schema';
export { hasTemplate, parseTemplate, render, resolveTemplate, templateReferences, validateTemplate, type TemplateContext } from './model/templates';
export {
  addDuration, describeCycle, describeDuration, describeTimer, durationMs, parseCycle, parseDateTime, parseDuration, parseTimer,
  type Cycle, type DateTime, type Duration, type Parsed, type Timer,
} from './model/iso8601';
export { canonicalProcess, stringifyProcess } from './model/canonical';
export { diffProcesses, type ProcessDiff } from './model/diff';
export { slugify } from './model/slug';
export { collectReferences, isDeployable, sizeProblems, validateProcess, type Problem, type Reference } from './validation/index';
export { actionErrors } from './validation/schema-layer';
export { toBpmn, type ToBpmnOptions } from './bpmn/to-bpmn';
export { fromBpmn, type BpmnImport, type UnsupportedElement } from './bpmn/from-bpmn';
export { layoutProcess } from './bpmn/layout';
export { elkLayout, withElkLayout, MAX_ELK_NODES } from './bpmn/elk-layout';
export { helpdeskDescriptor, HD_CONDITION_LANGUAGE, HD_URI } from './bpmn/moddle';
export { fromOtoboYaml, type OtoboImport } from './otobo/from-otobo';
export { detectFormat, exportProcess, importProcess, parseProcessJson, type ProcessFileFormat, type ProcessImport } from './process-io';
export * from './runtime/index';
export { codeProblems, type Compile } from './validation/code';
