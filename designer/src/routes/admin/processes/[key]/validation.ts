/**
 * Where the process canvas gets its problems from: in the browser when it can (the engine's
 * validateProcess); where the page's Content Security Policy forbids compiling the JSON Schema
 * (ajv needs `new Function`), the server's validation of the same document, which runs the same
 * code and checks the references as well (a missing one becomes a warning).
 */
import { validateProcess, type Problem, type Process } from '$lib/engine';
import { validateOnServer } from '$lib/processes';

/**
 * A validator for one canvas: it tries the browser first and, once that is refused, asks the
 * server from then on.
 *
 * @example
 *   const problemsOf = processValidator();
 *   problems = await problemsOf(process);
 */
export function processValidator(): (process: Process) => Promise<Problem[]> {
  let localValidation = true;
  return async (process) => {
    if (localValidation) {
      try {
        return validateProcess(process);
      } catch {
        localValidation = false;
      }
    }
    const report = await validateOnServer(process);
    const missing: Problem[] = report.references.missing.map((m) => ({
      severity: 'warning',
      code: 'REFERENCE_MISSING',
      message: `The ${m.kind} “${m.name}” does not exist here${m.creatable === false ? '' : ' (deploying can create it)'}.`,
      path: m.paths[0] ?? '',
    }));
    return [...report.problems, ...missing];
  };
}
