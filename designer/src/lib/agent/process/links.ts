/**
 * Where the process parts link to: a ticket's page (the ticket zoom of the agent interface, which
 * embeds the process widget).
 */
import { resolve } from '$app/paths';

/**
 * The page of ticket `id`.
 *
 * @example
 * ticketPath(42) // '/agent/tickets/42'
 */
export function ticketPath(id: number): string {
  return resolve('/agent/tickets/[id]', { id: String(id) });
}
