/**
 * After a ticket changed outside its process (PATCH, bulk), the ticket's running instance is told
 * (`ticketChanged`), so waiting OTOBO-style activities and stuck choices re-check their conditions.
 * Called after the change committed; a refusal (the instance is done) is ignored and a failure is
 * logged, never turned into an error of the change that already happened. The step's own actions
 * do not come through here.
 */
import { EventRefused } from '../../engine/errors';
import type { Access } from '../access/access';
import { historyActor } from '../history/history';
import type { Services } from '../services';
import type { TicketDeps } from '../tickets/context';
import { engineFor } from './engine';

const isServices = (d: TicketDeps): d is TicketDeps & Services => 'log' in d && 'auth' in d;

/**
 * Sends `ticketChanged` to the instances of `ticketIds` that are running or stuck (roots and the
 * called processes running on them).
 *
 * @example
 * await notifyTicketsChanged(services, [ticket.id], access);
 */
export async function notifyTicketsChanged(deps: TicketDeps, ticketIds: number[], access: Access): Promise<void> {
  if (!ticketIds.length || !isServices(deps)) return;
  const rows = await deps.database.db
    .selectFrom('process_instances')
    .select(['id'])
    .where('ticket_id', 'in', ticketIds)
    .where('status', 'in', ['running', 'incident'])
    .execute();
  if (!rows.length) return;
  const engine = engineFor(deps);
  await engine.ready();
  const actor = access.actor;
  for (const r of rows) {
    try {
      await engine.runner.applyEvent(r.id, { type: 'ticketChanged', ...(actor ? { by: actor.login } : {}) }, { by: historyActor(actor), actor: actor?.login ?? null });
    } catch (err) {
      if (err instanceof EventRefused) continue;
      deps.log.warn({ err, instanceId: r.id }, 'the process could not take a ticket change');
    }
  }
}
