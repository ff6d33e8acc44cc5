/**
 * TicketGet: one or more tickets (`TicketID` as one id, comma-separated ids or a list) in OTOBO's
 * shape, `{"Ticket": [...]}`, with `DynamicFields`, `Extended`, `AllArticles` (+ `ArticleLimit`,
 * `ArticleOrder`, `ArticleSenderType`), `Attachments` (+ `GetAttachmentContents`,
 * `HTMLBodyAsAttachment`). Every ticket is checked first, as OTOBO does: one the caller may not
 * read (or that does not exist) makes the whole call `TicketGet.AccessDenied`; an id that is not
 * one is `TicketGet.NotValidTicketID`. Works with GET (query) and POST (JSON body).
 */
import type { Kysely } from 'kysely';
import type { Access } from '../../access/access';
import type { DB } from '../../db/schema';
import { NotFound } from '../../errors';
import { readableTicket } from '../../tickets/view';
import { opError } from '../envelope';
import { authenticate, type OperationHandler } from '../operation';
import { idOf, list, str, truthy, type Data } from '../params';
import { toOperationError } from './errors';
import { otoboTicket } from './ticket-output';

const OP = 'TicketGet';
const DENIED = 'User does not have access to the ticket!';

/** The ticket ids of `TicketID` (one, comma-separated, or a list); throws OTOBO's errors. */
export function ticketIds(op: string, raw: unknown): number[] {
  if (raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && !raw.length)) throw opError(op, 'MissingParameter', 'TicketID parameter is missing!');
  if (typeof raw !== 'string' && typeof raw !== 'number' && !Array.isArray(raw)) throw opError(op, 'WrongStructure', 'Structure for TicketID is not correct!');
  const ids = list(raw, true).map((v) => idOf(v));
  if (!ids.length) throw opError(op, 'MissingParameter', 'TicketID parameter is missing!');
  if (ids.some((id) => id === undefined || Number.isNaN(id))) {
    throw opError(op, 'NotValidTicketID', `Could not get Ticket data in Kernel::GenericInterface::Operation::Ticket::${op}::Run() (TicketID ${JSON.stringify(raw)} is not a ticket id)`);
  }
  return [...new Set(ids as number[])];
}

/**
 * Checks that the caller may read every ticket before anything is answered (as OTOBO does); a
 * missing ticket is refused like a forbidden one, so existence does not leak.
 */
export async function assertReadable(db: Kysely<DB>, access: Access, ids: number[], op: string, text: (id: number) => string): Promise<void> {
  for (const id of ids) {
    try {
      await readableTicket(db, access, id);
    } catch (e) {
      if (e instanceof NotFound) throw opError(op, 'AccessDenied', text(id));
      throw e;
    }
  }
}

export const ticketGet: OperationHandler = async (ctx, data: Data) => {
  const access = await authenticate(ctx, data, OP, { fail: 'Authorization failing!' });
  const ids = ticketIds(OP, data.TicketID);
  try {
    await assertReadable(ctx.services.database.db, access, ids, OP, () => DENIED);
    const order = str(data.ArticleOrder)?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    const limit = Number(str(data.ArticleLimit) ?? 0);
    const senderTypes = list(data.ArticleSenderType).map((v) => String(v).toLowerCase());
    const tickets: Data[] = [];
    for (const id of ids) {
      tickets.push(
        await otoboTicket(ctx.services, access, id, {
          dynamicFields: truthy(data.DynamicFields),
          extended: truthy(data.Extended),
          ...(truthy(data.AllArticles)
            ? {
                articles: {
                  limit: Number.isInteger(limit) && limit > 0 ? limit : 0,
                  order,
                  senderTypes,
                  attachments: truthy(data.Attachments),
                  attachmentContents: data.GetAttachmentContents === undefined ? true : truthy(data.GetAttachmentContents),
                  htmlBodyAsAttachment: truthy(data.HTMLBodyAsAttachment),
                },
              }
            : {}),
        }),
      );
    }
    return { Ticket: tickets };
  } catch (e) {
    throw toOperationError(OP, e, { accessDenied: DENIED });
  }
};
