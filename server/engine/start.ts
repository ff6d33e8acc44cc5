/**
 * Entry point for other domains that start process tickets (the Generic Interface's TicketCreate
 * with a process key): create a ticket and start the process in one transaction.
 */
import type { Access } from '../access/access';
import type { Services } from '../services';
import type { TicketCreateInput } from '../tickets/schema';
import { ProcessTicketService } from './service';

/**
 * Creates the ticket and starts `processKey` (its newest active version) in one transaction;
 * resolves to the ticket and instance ids. Errors: 400 unknown process (path `/process`), 409 no
 * active version, 403 the caller's interface may not start it, and the ticket's own 400s (paths
 * under `/ticket`).
 *
 * @example
 * const { ticketId } = await createProcessTicket(services, access, 'leave-request', input);
 */
export async function createProcessTicket(services: Services, access: Access, processKey: string, ticket: TicketCreateInput, fields?: Record<string, unknown>): Promise<{ ticketId: number; instanceId: number }> {
  const view = await new ProcessTicketService(services).create(access, { process: processKey, ticket, ...(fields ? { fields } : {}) });
  return { ticketId: view.ticketId, instanceId: view.instanceId };
}
