/**
 * Reading and writing process files in every supported format: process/1 JSON, BPMN 2.0 XML and
 * OTOBO/Znuny YAML exports, detected from the content type or the content itself. What the server's
 * import endpoint and the CLI call.
 */
import { withElkLayout } from './bpmn/elk-layout';
import { fromBpmn } from './bpmn/from-bpmn';
import { toBpmn } from './bpmn/to-bpmn';
import { ProcessFormatError } from './errors';
import { stringifyProcess } from './model/canonical';
import { nestingExceeds } from './model/json';
import { PROCESS_FORMAT, type Process } from './model/types';
import { fromOtoboYaml } from './otobo/from-otobo';
import { collectReferences, validateProcess, type Problem, type Reference } from './validation/index';

export type ProcessFileFormat = 'json' | 'bpmn' | 'otobo';

/** Deepest nesting accepted in a process JSON document. */
export const MAX_JSON_DEPTH = 64;

function toText(input: string | Uint8Array): string {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Which format a file is in: from its content type when that says so, else from its first characters
 * (`{` JSON, `<` XML, otherwise YAML). `undefined` when it is none of them.
 *
 * @example
 * detectFormat('<?xml version="1.0"?><bpmn:definitions ...'); // 'bpmn'
 * detectFormat('{}', 'application/json');                     // 'json'
 */
export function detectFormat(input: string | Uint8Array, contentType?: string): ProcessFileFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (/(^|[/+])xml$/.test(type)) return 'bpmn';
  if (/(^|[/+-])yaml$/.test(type)) return 'otobo';
  const head = (typeof input === 'string' ? input.slice(0, 512) : String.fromCharCode(...input.subarray(0, 512))).replace(/^(\ufeff|\xef\xbb\xbf)/, '').trimStart();
  if (head.startsWith('{')) return 'json';
  if (head.startsWith('<')) return 'bpmn';
  if (/^(---|%YAML|#|[A-Za-z_][\w-]*\s*:)/.test(head)) return 'otobo';
  return undefined;
}

/**
 * Parses process JSON text, refusing malformed or hostile input with a `ProcessFormatError`
 * (`JSON_MALFORMED`, `NESTING_TOO_DEEP`, `FORMAT_UNSUPPORTED`). The result still needs `validateProcess`.
 *
 * @example
 * parseProcessJson('{"format": "process/2"}'); // throws ProcessFormatError FORMAT_UNSUPPORTED
 */
export function parseProcessJson(input: string | Uint8Array): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(toText(input));
  } catch (e) {
    if (e instanceof RangeError) throw new ProcessFormatError('NESTING_TOO_DEEP', `The JSON is nested too deeply (more than ${MAX_JSON_DEPTH} levels).`);
    throw new ProcessFormatError('JSON_MALFORMED', `The JSON is malformed: ${(e as Error).message}`);
  }
  if (nestingExceeds(doc, MAX_JSON_DEPTH)) throw new ProcessFormatError('NESTING_TOO_DEEP', `The JSON is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  const format = (doc as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format !== PROCESS_FORMAT) {
    throw new ProcessFormatError('FORMAT_UNSUPPORTED', `The document uses the format "${format}", but this version reads "${PROCESS_FORMAT}" only.`);
  }
  return doc;
}

export interface ProcessImport {
  format: ProcessFileFormat;
  /** The converted process (for JSON: the document as read; check `problems` before trusting it). */
  process: Process;
  /** Conversion notes (BPMN, OTOBO). */
  warnings: string[];
  /** Elements that could not be converted, by id and type (BPMN, OTOBO). */
  unsupported: Array<{ id: string; type: string; reason: string }>;
  /** Elements converted with a change in behaviour, by id and type, saying what changed (BPMN, OTOBO). */
  changed: Array<{ id: string; type: string; reason: string }>;
  /** `validateProcess` of the result. */
  problems: Problem[];
  /** `collectReferences` of the result, for the check against the installation. */
  references: Reference[];
  /**
   * A BPMN file's other processes, in the order to import them before this one (called processes
   * before their callers); absent or empty for a file with one process.
   */
  others?: ProcessImport[];
}

/**
 * Reads a process file in any supported format and validates the result. Throws a
 * `ProcessFormatError` only when the input cannot be read at all (`UNKNOWN_FORMAT`, malformed syntax).
 *
 * @example
 * const { process, problems, references } = await importProcess(fs.readFileSync('examples/leave-request.bpmn'));
 * if (problems.some((p) => p.severity === 'error')) process.exitCode = 1;
 */
export async function importProcess(input: string | Uint8Array, options: { format?: ProcessFileFormat; contentType?: string } = {}): Promise<ProcessImport> {
  const format = options.format ?? detectFormat(input, options.contentType);
  type Converted = Pick<ProcessImport, 'process' | 'warnings' | 'unsupported' | 'changed'>;
  let result: Converted;
  let others: Converted[] = [];
  if (format === 'json') result = { process: parseProcessJson(input) as Process, warnings: [], unsupported: [], changed: [] };
  else if (format === 'bpmn') ({ others, ...result } = await fromBpmn(input));
  else if (format === 'otobo') result = fromOtoboYaml(toText(input));
  else throw new ProcessFormatError('UNKNOWN_FORMAT', 'The file is neither process JSON, BPMN 2.0 XML nor an OTOBO YAML export.');
  // OTOBO's canvas positions (and BPMN files without a diagram) get the layered layout instead.
  const laidOut = async (r: Converted): Promise<Converted> => (format === 'otobo' || (format === 'bpmn' && !r.process.diagram) ? { ...r, process: await withElkLayout(r.process) } : r);
  result = await laidOut(result);
  others = await Promise.all(others.map(laidOut));
  const checked = (r: Converted) => ({ format, ...r, problems: validateProcess(r.process), references: collectReferences(r.process) });
  return others.length ? { ...checked(result), others: others.map(checked) } : checked(result);
}

/**
 * Writes a process as canonical JSON (byte-stable) or as BPMN 2.0 XML.
 *
 * @example
 * await exportProcess(process, 'bpmn'); // '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ...'
 */
export async function exportProcess(process: Process, format: 'json' | 'bpmn'): Promise<string> {
  return format === 'bpmn' ? toBpmn(process) : stringifyProcess(process);
}
