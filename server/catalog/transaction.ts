/**
 * Runs a catalogue write in one transaction, and turns a unique-constraint violation (two writers
 * racing for one name, after the service's own check passed) into the same 409 the check gives.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { Conflict } from '../errors';
import { isUniqueViolation } from './schema';

export async function writeTransaction<T>(
  db: Kysely<DB>,
  fn: (trx: Kysely<DB>) => Promise<T>,
  duplicate: { message: string; path: string },
): Promise<T> {
  try {
    return await db.transaction().execute(fn);
  } catch (e) {
    if (isUniqueViolation(e)) throw new Conflict(duplicate.message, duplicate.path, 'DUPLICATE');
    throw e;
  }
}
