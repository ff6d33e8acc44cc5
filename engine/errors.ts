/**
 * Engine errors: plain data with a `type` tag and a stable `code`, so they survive the trip through
 * JSON (database, worker, sandbox, HTTP) where `instanceof` does not. Rebuild one with
 * `engineErrorFromJSON`; recognise one with `isEngineError` (a shape check, not `instanceof`).
 */

/** The serialised form of every engine error. */
export interface EngineErrorJSON {
  type: string;
  code: string;
  message: string;
  details?: unknown;
}

/** Base class of the engine's errors. */
export class EngineError extends Error {
  /** Class tag, e.g. `ProcessFormatError`; survives JSON. */
  readonly type: string;
  /** Stable machine-readable code, e.g. `YAML_MALFORMED`. */
  readonly code: string;
  /** Structured detail (line and column, a JSON path, ...). */
  readonly details: unknown;

  constructor(type: string, code: string, message: string, details?: unknown) {
    super(message);
    this.name = type;
    this.type = type;
    this.code = code;
    this.details = details;
  }

  toJSON(): EngineErrorJSON {
    const json: EngineErrorJSON = { type: this.type, code: this.code, message: this.message };
    if (this.details !== undefined) json.details = this.details;
    return json;
  }
}

/**
 * Input that cannot be read as a process at all: malformed JSON, YAML or XML, an alias bomb, nesting
 * that is too deep, an unknown format version. (A readable process with mistakes gives a problem
 * list from `validateProcess` instead.)
 *
 * @example
 * throw new ProcessFormatError('YAML_MALFORMED', 'The YAML is malformed at line 3, column 1: ...', { line: 3, col: 1 });
 */
export class ProcessFormatError extends EngineError {
  constructor(code: string, message: string, details?: unknown) {
    super('ProcessFormatError', code, message, details);
  }
}

/**
 * An event the instance cannot take in its current state: a stale dialog submit (the task already
 * completed), a script result for an older run, an unknown token, an instance that is not running.
 * Nothing changed; the server answers 409 (or drops a repeated job).
 *
 * @example
 * throw new EventRefused('STALE_EVENT', 'The task "approve" is not open any more; it was completed already.', { nodeId: 'approve' });
 */
export class EventRefused extends EngineError {
  constructor(code: string, message: string, details?: unknown) {
    super('EventRefused', code, message, details);
  }
}

const constructors: Record<string, (code: string, message: string, details?: unknown) => EngineError> = {
  ProcessFormatError: (code, message, details) => new ProcessFormatError(code, message, details),
  EventRefused: (code, message, details) => new EventRefused(code, message, details),
};

/**
 * Rebuilds an engine error from its JSON form (unknown types become a plain `EngineError`).
 *
 * @example
 * const e = engineErrorFromJSON(JSON.parse(JSON.stringify(new ProcessFormatError('XML_MALFORMED', 'bad'))));
 * e.type; // 'ProcessFormatError'
 */
export function engineErrorFromJSON(json: EngineErrorJSON): EngineError {
  const make = constructors[json.type];
  return make ? make(json.code, json.message, json.details) : new EngineError(json.type, json.code, json.message, json.details);
}

/**
 * True for anything shaped like an engine error (an instance or its JSON form).
 *
 * @example
 * isEngineError({ type: 'ProcessFormatError', code: 'X', message: 'm' }); // true
 */
export function isEngineError(value: unknown): value is EngineErrorJSON {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && typeof v.code === 'string' && typeof v.message === 'string';
}
