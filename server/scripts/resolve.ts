/**
 * Script sources for script tasks: inline source as is, a library reference (`{ ref, version? }`)
 * looked up when the job runs (the latest version when none is given).
 */
import type { Kysely } from 'kysely';
import type { ScriptSource } from '../../engine/model/types';
import type { DB } from '../db/schema';
import { scriptRepo } from './repo';

export class ScriptMissing extends Error {}

/**
 * The source and a file name for messages.
 *
 * @example
 * await scriptSource(db, { ref: 'count-days', version: 2 }); // { source: 'export default ...', filename: 'count-days@2.js' }
 */
export async function scriptSource(db: Kysely<DB>, script: ScriptSource): Promise<{ source: string; filename: string }> {
  if ('source' in script) return { source: script.source, filename: 'inline.js' };
  const v = await scriptRepo.version(db, script.ref, script.version);
  if (!v) throw new ScriptMissing(`the script "${script.ref}"${script.version !== undefined ? ` version ${script.version}` : ''} does not exist`);
  return { source: v.source, filename: `${v.name}@${v.version}.js` };
}
