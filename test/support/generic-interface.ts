/**
 * Fixtures for the Generic Interface tests: a helpdesk with queues, agents of different rights,
 * customer users and dynamic fields; a small OTOBO-style client (`Gi`) that calls
 * `/api/webservice/<Name>/<route>` (or OTOBO's `/otobo/nph-genericinterface.pl/Webservice/...`)
 * exactly as a third-party client does — no cookie; and the web-service YAML of the seed document
 * (routes `/session`, `/ticket`, `/ticket/get`, `/ticket/search`, `/ticket/history`), in OTOBO's
 * export format.
 */
import { expect } from 'vitest';
import type { DatabaseKind } from '../../server/db/index';
import { createDynamicField, startHelpdesk, type Helpdesk } from './tickets';

export const DEFAULT_SERVICE = 'GenericTicketConnectorREST';

export interface GiResult {
  status: number;
  body: any;
  headers: Headers;
}

export interface CallOptions {
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
}

/** An OTOBO REST client: JSON bodies, credentials in the request. */
export class Gi {
  constructor(
    readonly base: string,
    readonly service = DEFAULT_SERVICE,
    readonly prefix = '/api/webservice',
  ) {}

  /** The same client on another web service. */
  on(service: string): Gi {
    return new Gi(this.base, service, this.prefix);
  }

  /** The same client through OTOBO's URL (`/otobo/nph-genericinterface.pl/Webservice/...`). */
  otoboUrl(): Gi {
    return new Gi(this.base, this.service, '/otobo/nph-genericinterface.pl/Webservice');
  }

  url(route: string, query: CallOptions['query'] = {}): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
    const q = qs.toString();
    return `${this.base}${this.prefix}/${encodeURIComponent(this.service)}${route}${q ? `?${q}` : ''}`;
  }

  /** `body`: an object (sent as JSON) or a string (sent as it is). */
  async call(method: string, route: string, body?: unknown, opts: CallOptions = {}): Promise<GiResult> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(this.url(route, opts.query), {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(route: string, query?: CallOptions['query'], headers?: Record<string, string>) {
    return this.call('GET', route, undefined, { query, headers });
  }
  post(route: string, body: unknown, opts?: CallOptions) {
    return this.call('POST', route, body, opts);
  }
}

export const PW = 'secret-pw-123';

export interface GiHelpdesk extends Helpdesk {
  gi: Gi;
}

/**
 * A helpdesk for the Generic Interface: queues Sales/Support (agent `agent` rw on both), Vault
 * (only `keeper`), `reader` (ro on Sales), `noter` (ro + note on Sales); customer users `alice`
 * and `carol` (company ACME) and `bob` (BETA); ticket fields Urgency (dropdown), Days (integer),
 * Approved (checkbox), DueDate (date), Tags (multiselect), Secret (internal) and the article field
 * Mood (text).
 */
export async function startGiHelpdesk(kind: DatabaseKind): Promise<GiHelpdesk> {
  const h = await startHelpdesk(kind, {
    queues: { Sales: 'sales', Support: 'support', Vault: 'vault' },
    agents: {
      agent: { sales: ['rw'], support: ['rw'] },
      reader: { sales: ['ro'] },
      noter: { sales: ['ro', 'note'] },
      keeper: { vault: ['rw'] },
    },
    customers: { alice: 'ACME', bob: 'BETA', carol: 'ACME' },
  });
  await createDynamicField(h.srv, 'Urgency', 'dropdown', { config: { possibleValues: { low: 'Low', high: 'High' } } });
  await createDynamicField(h.srv, 'Days', 'integer', { config: { min: 0, max: 365 } });
  await createDynamicField(h.srv, 'Approved', 'checkbox');
  await createDynamicField(h.srv, 'DueDate', 'date');
  await createDynamicField(h.srv, 'Tags', 'multiselect', { config: { possibleValues: { a: 'A', b: 'B', c: 'C' } } });
  await createDynamicField(h.srv, 'Secret', 'text', { internal: true });
  await createDynamicField(h.srv, 'Mood', 'text', { objectType: 'article' });
  return { ...h, gi: new Gi(h.srv.url) };
}

/** The data of a successful answer in either envelope, after checking the envelope itself. */
export function dataOf(res: GiResult, envelope: 'otobo' | 'success-data' = 'otobo'): any {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  if (envelope === 'otobo') {
    expect(res.body).not.toHaveProperty('Error');
    expect(res.body).not.toHaveProperty('Success');
    return res.body;
  }
  expect(Object.keys(res.body).sort()).toEqual(['Data', 'ErrorMessage', 'Success']);
  expect(res.body.Success).toBe(1);
  expect(res.body.ErrorMessage).toBe('');
  return res.body.Data;
}

/** Asserts an operation error in either envelope (HTTP 200, OTOBO's code); resolves to its message. */
export function errorOf(res: GiResult, code: string, envelope: 'otobo' | 'success-data' = 'otobo', status = 200): string {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (envelope === 'otobo') {
    expect(Object.keys(res.body)).toEqual(['Error']);
    expect(Object.keys(res.body.Error).sort()).toEqual(['ErrorCode', 'ErrorMessage']);
    expect(res.body.Error.ErrorCode, JSON.stringify(res.body)).toBe(code);
    return res.body.Error.ErrorMessage;
  }
  expect(Object.keys(res.body).sort()).toEqual(['ErrorCode', 'ErrorMessage', 'Success']);
  expect(res.body.Success).toBe(0);
  expect(res.body.ErrorCode, JSON.stringify(res.body)).toBe(code);
  expect(res.body.ErrorMessage.startsWith(`${code}: `)).toBe(true);
  return res.body.ErrorMessage.slice(code.length + 2);
}

/** OTOBO's time format. */
export const OTOBO_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * The web service of the seed document ("OTOBO Web Services – REST API"), as OTOBO exports it:
 * the operation routes its Python client calls (`ticket`, `ticket/search`, `ticket/get`,
 * `ticket/history`; create by POST and update by PUT on `/ticket`), `IncludeTicketData` on create
 * and update, and a FAQ operation this helpdesk does not provide.
 */
export const SEED_YAML = `---
Debugger:
  DebugThreshold: debug
  TestMode: '0'
Description: Ticket Connector for the Python client
FrameworkVersion: 11.0.6
Provider:
  Operation:
    PublicFAQGet:
      Description: FAQ
      MappingInbound: {}
      MappingOutbound: {}
      Type: FAQ::PublicFAQGet
    SessionCreate:
      Description: Create a session
      MappingInbound: {}
      MappingOutbound: {}
      Type: Session::SessionCreate
    TicketCreate:
      Description: Create a ticket
      IncludeTicketData: '1'
      MappingInbound: {}
      MappingOutbound: {}
      Type: Ticket::TicketCreate
    TicketGet:
      Description: Get tickets
      MappingInbound: {}
      MappingOutbound: {}
      Type: Ticket::TicketGet
    TicketHistoryGet:
      Description: Ticket history
      MappingInbound: {}
      MappingOutbound: {}
      Type: Ticket::TicketHistoryGet
    TicketSearch:
      Description: Search tickets
      MappingInbound: {}
      MappingOutbound: {}
      Type: Ticket::TicketSearch
    TicketUpdate:
      Description: Update a ticket
      IncludeTicketData: '1'
      MappingInbound: {}
      MappingOutbound: {}
      Type: Ticket::TicketUpdate
  Transport:
    Config:
      AdditionalHeaders: ~
      KeepAlive: ''
      MaxLength: '16000000'
      RouteOperationMapping:
        PublicFAQGet:
          RequestMethod:
          - GET
          Route: /faq
        SessionCreate:
          RequestMethod:
          - POST
          Route: /session
        TicketCreate:
          RequestMethod:
          - POST
          Route: /ticket
        TicketGet:
          RequestMethod:
          - GET
          - POST
          Route: /ticket/get
        TicketHistoryGet:
          RequestMethod:
          - GET
          - POST
          Route: /ticket/history
        TicketSearch:
          RequestMethod:
          - GET
          - POST
          Route: /ticket/search
        TicketUpdate:
          RequestMethod:
          - PUT
          - PATCH
          Route: /ticket
    Type: HTTP::REST
RemoteSystem: ''
Requester:
  Transport:
    Type: ''
`;
