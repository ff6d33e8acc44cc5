/**
 * Bulk changes (OTRS AgentTicketBulk): the same state/queue/owner/priority change and optional
 * note applied to many tickets, each in its own transaction, so a ticket the caller may not change
 * is reported and the others still change. References are resolved once, up front: an unknown
 * state fails the whole request with a 400, not each ticket.
 */
import type { Access } from '../access/access';
import { addArticle } from '../articles/add';
import { DomainError, BadRequest } from '../errors';
import { applyChanges } from './changes';
import { inTransaction, type TicketDeps } from './context';
import { resolveFields } from './refs';
import { lockTicket, ticketDetails } from './repo';
import type { BulkInput, BulkResult } from './schema';

export async function bulkChange(deps: TicketDeps, access: Access, input: BulkInput): Promise<BulkResult> {
  access.requireAgent();
  const set = input.set ?? {};
  if (!Object.keys(set).length && !input.note) throw new BadRequest('give the changes (set) or a note, or both', '/set');
  const changes = await resolveFields(deps.database.db, set, '/set');
  const results: BulkResult['results'] = [];
  for (const ticketId of input.ticketIds) {
    try {
      await inTransaction(deps, access, async (ctx) => {
        await lockTicket(ctx.db, ticketId);
        const t = (await ticketDetails(ctx.db, ticketId))!;
        await applyChanges(ctx, t, changes, '/set');
        if (input.note) {
          const fresh = (await ticketDetails(ctx.db, ticketId))!;
          await addArticle(ctx, fresh, { channel: 'note', ...input.note }, '/note');
        }
      });
      results.push({ ticketId, ok: true });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      results.push({ ticketId, ok: false, error: { status: e.status, code: e.code, message: e.message, ...(e.path ? { path: e.path } : {}) } });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { succeeded, failed: results.length - succeeded, results };
}
