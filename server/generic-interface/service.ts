/**
 * The Generic Interface provider: one request to `/Webservice/<Name>/<route>` → the web service
 * (valid ones only), the operation its routes map the method and path to, the request data, the
 * operation's answer in the service's envelope, and an entry in the service's debugger log. Knows
 * no HTTP framework: `provider.ts` adapts it to Hono.
 *
 * Request data, as OTOBO's REST transport builds it: the JSON body (an object; its `Data` member,
 * when an object, is unwrapped into the top level), then the query parameters (repeated ones become
 * lists), then the route's placeholders — later sources win. GET bodies are ignored, as OTOBO does.
 *
 * @example
 * const res = await new GenericInterface(services).handle({ webservice: { name: 'GenericTicketConnectorREST' },
 *   method: 'GET', path: '/Ticket/42', query: new URLSearchParams('SessionID=abc'), headers, body: undefined,
 *   remoteAddr: '127.0.0.1', requestId: 'r1' });
 * // → { status: 200, headers: {...}, body: { Ticket: [ { TicketID: '42', ... } ] } }
 */
import type { DebugLevel } from '../db/schema';
import { unstorableTextError } from '../errors';
import { MAX_JSON_DEPTH } from '../http/validate';
import type { Services } from '../services';
import { nestingExceeds } from '../../engine/model/json';
import { maskHeaders, recordExchange } from './debug-log';
import { errorResponse, OperationError, successResponse, TransportError, type GiResponse } from './envelope';
import type { OperationContext } from './operation';
import { OPERATIONS } from './operations/index';
import { assertStorableData, isObject, type Data } from './params';
import { toWebservice, webserviceRepo } from './repo';
import { matchRoute } from './routing';
import type { Webservice } from './schema';

export interface ProviderRequest {
  /** How the URL named the web service (`/Webservice/<Name>` or `/WebserviceID/<id>`). */
  webservice: { name: string } | { id: number };
  method: string;
  /** The path after the web service's name, still URL-encoded (`/Ticket/42`; '' for none). */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** The raw body (undefined when there is none). */
  body: string | undefined;
  /** Why the transport could not read the body (it was not UTF-8): answered as a 400. */
  bodyProblem?: string;
  remoteAddr: string;
  requestId: string;
}

const describe = (ref: ProviderRequest['webservice']) => ('name' in ref ? `Webservice/${ref.name}` : `WebserviceID/${ref.id}`);

export class GenericInterface {
  constructor(private readonly services: Services) {}

  /** The valid web service the URL names, or undefined. */
  async find(ref: ProviderRequest['webservice']): Promise<Webservice | undefined> {
    const db = this.services.database.db;
    const row = 'name' in ref ? await webserviceRepo.byName(db, ref.name) : await webserviceRepo.byId(db, ref.id);
    return row?.valid ? toWebservice(row) : undefined;
  }

  /** Answers a request that never reached an operation because its body was too large. */
  async tooLarge(req: Pick<ProviderRequest, 'webservice'>, limit: number): Promise<GiResponse> {
    const ws = await this.find(req.webservice);
    return errorResponse(ws?.envelope ?? 'otobo', 'Webservice.PayloadTooLarge', `Request Entity Too Large: the body exceeds ${limit} bytes.`, 413);
  }

  async handle(req: ProviderRequest): Promise<GiResponse> {
    const ws = await this.find(req.webservice);
    if (!ws) {
      return errorResponse('otobo', 'Webservice.NotFound', `Could not find valid web service for query string '${describe(req.webservice)}'.`, 404);
    }
    let operation: string | null = null;
    let body: unknown = req.body;
    let response: GiResponse;
    let level: DebugLevel = 'debug';
    let summary: string;
    try {
      const routed = matchRoute(ws.config, req.method, req.path);
      if ('notFound' in routed) {
        throw new TransportError(404, 'Webservice.RouteNotFound', `HTTP::REST Error while determine Operation for request URI '${req.path || '/'}'.`);
      }
      if ('methodNotAllowed' in routed) {
        const allow = routed.methodNotAllowed.join(', ');
        throw new TransportError(405, 'Webservice.MethodNotAllowed', `HTTP::REST Error while determine Operation for request URI '${req.path}': method ${req.method} is not configured (use ${allow}).`, { Allow: allow });
      }
      operation = routed.match.operation;
      const config = ws.config.operations[operation];
      if (!config) {
        throw new TransportError(500, 'Webservice.InvalidConfiguration', `The route '${req.path}' names the operation '${operation}', which this web service does not define.`);
      }
      const parsed = this.parseBody(req, ws);
      body = parsed ?? req.body;
      const data = assembleData(parsed, req.query, routed.match.params);
      assertStorableData(data);
      const ctx: OperationContext = { services: this.services, webservice: ws, operationName: operation, operation: config, headers: req.headers, remoteAddr: req.remoteAddr };
      const result = await OPERATIONS[config.type](ctx, data);
      response = successResponse(ws.envelope, result);
      summary = `${operation}: success`;
    } catch (e) {
      level = 'error';
      if (e instanceof OperationError) {
        response = errorResponse(ws.envelope, e.code, e.message);
        summary = `${operation}: ${e.code}`;
      } else if (e instanceof TransportError) {
        response = errorResponse(ws.envelope, e.code, e.message, e.status, e.headers);
        summary = `${operation ?? req.path}: ${e.code}`;
      } else if (unstorableTextError(e)) {
        // A safety net: text the database refused should have been caught by assertStorableData.
        this.services.log.warn({ err: e, reqId: req.requestId, webservice: ws.name, operation }, 'text the database cannot store reached it');
        response = errorResponse(ws.envelope, 'Webservice.InvalidParameter', unstorableTextError(e)!.message, 400);
        summary = `${operation ?? req.path}: invalid text`;
      } else {
        this.services.log.error({ err: e, reqId: req.requestId, webservice: ws.name, operation }, 'generic interface operation failed');
        response = errorResponse(ws.envelope, 'Webservice.InternalError', `internal error (request ${req.requestId})`, 500);
        summary = `${operation ?? req.path}: internal error`;
      }
    }
    await recordExchange(this.services.database.db, this.services.log, {
      webservice: ws,
      requestId: req.requestId,
      remoteAddr: req.remoteAddr,
      operation,
      level,
      summary,
      request: { method: req.method, route: req.path || '/', query: queryObject(req.query), headers: maskHeaders(req.headers), body: body ?? null },
      response: { status: response.status, body: response.body },
      at: this.services.now(),
    });
    return response;
  }

  /** The JSON body as an object; undefined when there is none (GET bodies are ignored, as OTOBO does). */
  private parseBody(req: ProviderRequest, ws: Webservice): Data | undefined {
    if (req.body === undefined || req.method === 'GET' || req.method === 'HEAD') return undefined;
    if (req.bodyProblem) throw new TransportError(400, 'Webservice.InvalidJSON', `Error while decoding request content: ${req.bodyProblem}.`);
    if (!req.body.trim()) return undefined;
    if (ws.maxLength !== null && Buffer.byteLength(req.body) > ws.maxLength) {
      throw new TransportError(413, 'Webservice.PayloadTooLarge', `Request Entity Too Large: the body exceeds this web service's limit of ${ws.maxLength} bytes.`);
    }
    let value: unknown;
    try {
      value = JSON.parse(req.body);
    } catch (e) {
      throw new TransportError(400, 'Webservice.InvalidJSON', `Error while decoding request content: ${(e as Error).message}.`);
    }
    if (nestingExceeds(value, MAX_JSON_DEPTH)) {
      throw new TransportError(400, 'Webservice.InvalidJSON', `Error while decoding request content: nested more than ${MAX_JSON_DEPTH} levels deep.`);
    }
    if (!isObject(value)) throw new TransportError(400, 'Webservice.UnsupportedContent', 'Unsupported request content structure: the body must be a JSON object.');
    return value;
  }
}

/** Query parameters as an object; a repeated parameter becomes a list. */
function queryObject(query: URLSearchParams): Data {
  const out: Data = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

/** Body (with `Data` unwrapped), then query, then route placeholders: later sources win. */
export function assembleData(body: Data | undefined, query: URLSearchParams, params: Record<string, string>): Data {
  let data: Data = {};
  if (body) {
    const { Data: inner, ...top } = body;
    data = isObject(inner) ? { ...top, ...inner } : { ...body };
  }
  return { ...data, ...queryObject(query), ...params };
}
