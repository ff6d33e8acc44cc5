/**
 * Every ticket has an owner (as in OTOBO, where TicketCreate needs an OwnerID and customers'
 * tickets belong to user 1): tickets written before that rule — portal, Generic Interface and
 * process tickets opened by customers had none — get the first agent (the administrator created
 * on the first start) as owner. No history is written for it. The responsible stays as it is: it
 * is optional, and the Generic Interface reads a missing one as that agent.
 * Frozen in time: uses `Kysely<any>` and imports no application code.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`update tickets set owner_id = (select min(id) from agents) where owner_id is null`.execute(db);
}

/** Nothing to undo: which tickets had no owner is not kept. */
export async function down(): Promise<void> {}
