/** Typed errors of the process domain, mapped to 400 problems with the details a UI needs. */
import { BadRequest, DomainError } from '../errors';
import { isEngineError, type Problem } from '../../engine/index';
import { describeMissing, type ReferenceReport } from './references';

/** The process does not validate: every problem is in `details`, the first one in the message. */
export class ProcessInvalid extends BadRequest {
  constructor(problems: Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    const first = errors[0];
    super(
      `the process does not validate (${errors.length} error${errors.length === 1 ? '' : 's'})${first ? `: ${first.path} ${first.message}` : ''}`,
      first?.path,
      { problems },
      'PROCESS_INVALID',
    );
  }
}

/** The process names things this installation does not have. */
export class MissingReferences extends BadRequest {
  constructor(report: ReferenceReport) {
    const first = report.missing[0]!;
    super(
      `the process references ${report.missing.length} thing(s) that do not exist here: ${report.missing.slice(0, 5).map(describeMissing).join('; ')}` +
        (report.missing.length > 5 ? `; and ${report.missing.length - 5} more` : '') +
        (report.missing.some((m) => m.creatable) ? '. Import with createMissing to create the creatable ones.' : ''),
      first.paths[0],
      report,
      'MISSING_REFERENCES',
    );
  }
}

/** The imported process's key is taken and no choice (new version, other key) was made. */
export class KeyConflict extends DomainError {
  constructor(message: string, details: { existing: unknown; suggestedKey: string | null }) {
    super(409, 'KEY_CONFLICT', message, '/key', details);
  }
}

/** Turns an engine read error (malformed YAML/XML/JSON, unknown format) into a 400 with its code. */
export function fromEngineError(e: unknown): unknown {
  if (isEngineError(e)) return new BadRequest(e.message, undefined, e.details, e.code);
  return e;
}
