/** Routers of this domain (filled in by the helpdesk-core work). */
import type { ApiRouter } from '../http/api';

export function ticketRouters(): ApiRouter[] {
  return [];
}
