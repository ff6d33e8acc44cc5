/**
 * The hand-off from inbound mail to notifications: after a mail's transaction commits, the
 * pipeline calls `onInboundMail` with one typed event per ticket it touched. Notifications
 * (server/notifications/) fill this in; until then it does nothing.
 */
import type { Services } from '../../services';

export interface InboundMailEvent {
  type: 'mail.ticket-created' | 'mail.follow-up' | 'mail.rejected';
  ticketId: number;
  articleId: number;
  queueId: number;
  /** The ticket was closed and got reopened by this follow-up. */
  reopened: boolean;
  /** The sender is not the customer, an agent or a recipient of the thread. */
  unexpectedSender: boolean;
  from: string;
}

/** Called after commit, once per event; errors are logged by the caller, never undo the mail. */
export async function onInboundMail(_services: Services, _event: InboundMailEvent): Promise<void> {}
