/**
 * How answers look. An operation either returns its data or throws an `OperationError` with an
 * OTOBO error code (`TicketCreate.MissingParameter`); transport failures (unknown route, malformed
 * JSON, too large) are `TransportError`s with an HTTP status. Each web service picks its envelope:
 *
 * - `otobo` (OTOBO's own): success → the data itself; operation error → HTTP 200
 *   `{"Error": {"ErrorCode": "...", "ErrorMessage": "..."}}`.
 * - `success-data`: success → `{"Success": 1, "ErrorMessage": "", "Data": {...}}`; error →
 *   `{"Success": 0, "ErrorCode": "...", "ErrorMessage": "<code>: <message>"}`.
 */
import type { WebserviceEnvelope } from '../db/schema';

/** An operation's refusal, answered with HTTP 200 and OTOBO's error code (as OTOBO does). */
export class OperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OperationError';
  }
}

/**
 * The error OTOBO's operations return: the code is `<Operation>.<Kind>`, the message starts with the
 * operation's name.
 *
 * @example
 * opError('TicketCreate', 'MissingParameter', 'Ticket->Title parameter is missing!')
 * // → code "TicketCreate.MissingParameter", message "TicketCreate: Ticket->Title parameter is missing!"
 */
export function opError(operation: string, kind: string, text: string): OperationError {
  return new OperationError(`${operation}.${kind}`, `${operation}: ${text}`);
}

/** A failure before or around the operation: no such route, malformed body, body too large. */
export class TransportError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface GiResponse {
  status: number;
  headers: Record<string, string>;
  /** The JSON value of the answer (before serialisation). */
  body: unknown;
}

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

export function successResponse(envelope: WebserviceEnvelope, data: Record<string, unknown>): GiResponse {
  const body = envelope === 'success-data' ? { Success: 1, ErrorMessage: '', Data: data } : data;
  return { status: 200, headers: { ...JSON_TYPE }, body };
}

export function errorResponse(envelope: WebserviceEnvelope, code: string, message: string, status = 200, headers: Record<string, string> = {}): GiResponse {
  const body =
    envelope === 'success-data'
      ? { Success: 0, ErrorCode: code, ErrorMessage: `${code}: ${message}` }
      : { Error: { ErrorCode: code, ErrorMessage: message } };
  return { status, headers: { ...JSON_TYPE, ...headers }, body };
}
