/**
 * Turning the domain errors of the ticket services into OTOBO's operation errors: a bad value →
 * `<Op>.InvalidParameter` naming the parameter as OTOBO does (`Ticket->QueueID or Ticket->Queue`),
 * a missing one → `<Op>.MissingParameter`, a denied or invisible ticket → `<Op>.AccessDenied`,
 * failed credentials → `<Op>.AuthFail`. Anything else is not the client's fault and is rethrown.
 */
import { Conflict, DomainError, Forbidden, NotFound, TooManyRequests, Unauthenticated } from '../../errors';
import { OperationError, opError } from '../envelope';

const NAMES: Array<[RegExp, string]> = [
  [/^\/title$/, 'Ticket->Title'],
  [/^\/queue(Id)?$/, 'Ticket->QueueID or Ticket->Queue'],
  [/^\/state(Id)?$/, 'Ticket->StateID or Ticket->State'],
  [/^\/priority(Id)?$/, 'Ticket->PriorityID or Ticket->Priority'],
  [/^\/type(Id)?$/, 'Ticket->TypeID or Ticket->Type'],
  [/^\/service(Id)?$/, 'Ticket->ServiceID or Ticket->Service'],
  [/^\/sla(Id)?$/, 'Ticket->SLAID or Ticket->SLA'],
  [/^\/owner(Id)?$/, 'Ticket->OwnerID or Ticket->Owner'],
  [/^\/responsible(Id)?$/, 'Ticket->ResponsibleID or Ticket->Responsible'],
  [/^\/customerUser(Id)?$/, 'Ticket->CustomerUser'],
  [/^\/customerId$/, 'Ticket->CustomerID'],
  [/^\/pendingUntil$/, 'Ticket->PendingTime'],
  [/^\/lock$/, 'Ticket->Lock'],
  [/^(\/article)?\/dynamicFields\/([^/]+)/, 'DynamicField->Value'],
  [/^\/article\/attachments/, 'Attachment->Content'],
  [/^\/article\/timeUnits/, 'Article->TimeUnit'],
  [/^\/article\/body/, 'Article->Body'],
  [/^\/article\/subject/, 'Article->Subject'],
  [/^\/article\/(from|to|cc)/, 'Article->From, Article->To or Article->Cc'],
  [/^\/article\/channel/, 'Article->CommunicationChannel'],
  [/^\/article\/senderType/, 'Article->SenderType'],
  [/^\/article/, 'Article'],
  // TicketSearch criteria.
  [/^\/queues/, 'Queues or QueueIDs'],
  [/^\/states/, 'States or StateIDs'],
  [/^\/stateTypes/, 'StateType or StateTypeIDs'],
  [/^\/priorities/, 'Priorities or PriorityIDs'],
  [/^\/types/, 'Types or TypeIDs'],
  [/^\/owners/, 'OwnerIDs'],
  [/^\/responsibles/, 'ResponsibleIDs'],
  [/^\/customerUsers/, 'CustomerUserLogin'],
  [/^\/watchedBy/, 'WatchUserIDs'],
  [/^\/query/, 'Fulltext'],
];

/** OTOBO's name of the parameter at our JSON path, e.g. `/queueId` → `Ticket->QueueID or Ticket->Queue`. */
export function parameterName(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const df = /^\/(DynamicField\w*)\//.exec(path);
  if (df) return df[1];
  for (const [re, name] of NAMES) if (re.test(path)) return name;
  return undefined;
}

export interface DeniedTexts {
  /**
   * The AccessDenied text for a ticket the caller may not see (without the `<Op>: ` prefix), e.g.
   * `User does not have access to the ticket!`. A refused change says what permission is missing.
   */
  accessDenied: string;
}

/**
 * The operation error for a domain error thrown while running operation `op`, or the error itself
 * when it is not the client's to fix.
 */
export function toOperationError(op: string, err: unknown, texts: DeniedTexts): unknown {
  if (err instanceof OperationError || !(err instanceof DomainError)) return err;
  if (err instanceof Unauthenticated || err instanceof TooManyRequests) return opError(op, 'AuthFail', err.message);
  if (err instanceof NotFound) return opError(op, 'AccessDenied', texts.accessDenied);
  if (err instanceof Forbidden) {
    const name = parameterName(err.path);
    return opError(op, 'AccessDenied', name ? `${name} parameter is not allowed! (${err.message})` : err.message);
  }
  if (err instanceof Conflict) return opError(op, 'InvalidParameter', err.message);
  if (err.status === 400) {
    const name = parameterName(err.path);
    if (err.code === 'PENDING_TIME_REQUIRED') return opError(op, 'MissingParameter', "Can't set a ticket on a pending state without pending time!");
    if (err.code === 'MISSING_REFERENCE') return opError(op, 'MissingParameter', `${name ?? err.path ?? 'a'} parameter is required!`);
    return opError(op, 'InvalidParameter', name ? `${name} parameter is invalid! (${err.message})` : err.message);
  }
  if (err.status === 413) return opError(op, 'InvalidParameter', err.message);
  return err;
}
