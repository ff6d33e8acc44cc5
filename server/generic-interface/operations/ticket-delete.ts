/**
 * TicketDelete: deletes tickets permanently (`TicketID` — one, comma-separated or a list — or
 * `TicketNumber`) through `TicketService.delete`: administrators, or agents with `rw` on the
 * ticket. Every ticket is checked before any is deleted. Answers `{}`. OTOBO has no such operation;
 * codes follow its pattern (`TicketDelete.AccessDenied` …).
 */
import { Forbidden, NotFound } from '../../errors';
import { TicketService } from '../../tickets/service';
import { findTicket, ticketIdByNumber } from '../../tickets/repo';
import { readableTicket } from '../../tickets/view';
import { opError } from '../envelope';
import { authenticate, type OperationHandler } from '../operation';
import { text } from '../params';
import { toOperationError } from './errors';
import { ticketIds } from './ticket-get';

const OP = 'TicketDelete';
const DENIED = 'User does not have access to the ticket!';

export const ticketDelete: OperationHandler = async (ctx, data) => {
  const noId = data.TicketID === undefined || data.TicketID === null || data.TicketID === '';
  if (noId && !text(data.TicketNumber)) throw opError(OP, 'MissingParameter', 'TicketID or TicketNumber is required!');
  const access = await authenticate(ctx, data, OP, {
    missing: 'UserLogin or SessionID is required!',
    noPassword: 'Password or SessionID is required!',
    fail: 'User could not be authenticated!',
  });
  if (access.actor?.kind !== 'agent') throw opError(OP, 'AccessDenied', 'Only agents can delete tickets!');
  const db = ctx.services.database.db;
  const number = text(data.TicketNumber);
  let ids: number[];
  if (number !== undefined) {
    const id = await ticketIdByNumber(db, number);
    if (id === undefined) throw opError(OP, 'AccessDenied', DENIED);
    ids = [id];
  } else {
    ids = ticketIds(OP, data.TicketID);
  }
  try {
    const admin = await access.isAdmin();
    for (const id of ids) {
      if (admin) {
        if (!(await findTicket(db, id))) throw new NotFound('ticket');
        continue;
      }
      const t = await readableTicket(db, access, id);
      if (!(await access.onTicket(t, 'rw'))) throw new Forbidden("deleting a ticket needs administrator rights or the 'rw' permission on its queue");
    }
    const tickets = new TicketService(ctx.services);
    for (const id of ids) await tickets.delete(access, id);
    return {};
  } catch (e) {
    if (e instanceof NotFound) throw opError(OP, 'AccessDenied', DENIED);
    throw toOperationError(OP, e, { accessDenied: DENIED });
  }
};
