/**
 * "Tidy up" in the designer: the process laid out afresh with ELK's layered algorithm (the same
 * layout the server gives imported OTOBO files), names of flows, events and gateways placed where
 * they touch nothing else.
 */
import { withElkLayout, type Process } from '../engine';

/**
 * The process with a new layered diagram (unchanged when it is too large to lay out this way).
 *
 * @example
 * await modeler.importXML(await toBpmn(await tidyProcess(await currentProcess())));
 */
export const tidyProcess = (process: Process): Promise<Process> => withElkLayout(process);
