/**
 * OTOBO web-service YAML (what OTOBO's admin exports and `Admin::WebService::Add` reads) ↔ a web
 * service of this helpdesk. Import reads the provider side: `Provider.Operation.<Name>.Type` (and
 * `IncludeTicketData`), `Provider.Transport.Config.RouteOperationMapping` (routes and request
 * methods, tried in name order as OTOBO does), `MaxLength` and `Debugger.DebugThreshold`. What it
 * cannot honour (operation types this helpdesk does not provide, mappings, the requester side, the
 * request methods CONNECT and TRACE) is left out with a warning. The YAML is parsed safely (core schema, alias bombs refused).
 *
 * @example
 * const { config, warnings } = fromOtoboYaml(fs.readFileSync('GenericTicketConnectorREST.yml', 'utf8'));
 */
import { stringify } from 'yaml';
import { isEngineError } from '../../engine/errors';
import { parseYaml } from '../../engine/otobo/yaml';
import type { DebugLevel } from '../db/schema';
import { BadRequest } from '../errors';
import { isObject, truthy } from './params';
import { DEBUG_LEVELS, HTTP_METHODS, IGNORED_METHODS, OPERATION_TYPES, ROUTE_PATTERN, type HttpMethod, type OperationType, type RouteConfig, type Webservice, type WebserviceConfig } from './schema';

export interface ImportedWebservice {
  config: WebserviceConfig;
  description: string;
  debugLevel?: DebugLevel;
  maxLength?: number;
  warnings: string[];
}

const ROUTE = new RegExp(ROUTE_PATTERN);

function readYaml(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    if (isEngineError(e)) throw new BadRequest(e.message, '/', (e as { details?: unknown }).details, e.code);
    throw e;
  }
  if (!isObject(doc)) throw new BadRequest('the YAML is not an OTOBO web service (expected a mapping with Provider, Requester, Debugger)', '/', undefined, 'NOT_A_WEBSERVICE');
  return doc;
}

/** Reads an OTOBO web-service YAML document. */
export function fromOtoboYaml(text: string): ImportedWebservice {
  const doc = readYaml(text);
  const warnings: string[] = [];
  const provider = doc.Provider;
  const transport = isObject(provider) ? provider.Transport : undefined;
  const transportType = isObject(transport) ? transport.Type : undefined;
  if (!isObject(provider) || !isObject(transport) || !transportType) {
    throw new BadRequest('the web service has no provider (Provider.Transport.Type is empty): there is nothing to serve', '/Provider/Transport/Type', undefined, 'NO_PROVIDER');
  }
  if (transportType !== 'HTTP::REST') {
    throw new BadRequest(`the provider's transport is ${JSON.stringify(transportType)}; only HTTP::REST web services can be served`, '/Provider/Transport/Type', undefined, 'UNSUPPORTED_TRANSPORT');
  }

  const config: WebserviceConfig = { operations: {}, routes: [] };
  const operations = isObject(provider.Operation) ? provider.Operation : {};
  for (const [name, op] of Object.entries(operations)) {
    if (!isObject(op)) throw new BadRequest(`operation ${name} is not a mapping`, `/Provider/Operation/${name}`);
    const type = String(op.Type ?? '');
    if (!(OPERATION_TYPES as readonly string[]).includes(type)) {
      warnings.push(`operation ${name} (type ${type || 'none'}) is not provided by this helpdesk and was left out`);
      continue;
    }
    config.operations[name] = { type: type as OperationType, description: typeof op.Description === 'string' ? op.Description : '' };
    if (truthy(op.IncludeTicketData)) config.operations[name]!.includeTicketData = true;
    for (const mapping of ['MappingInbound', 'MappingOutbound']) {
      if (isObject(op[mapping]) && Object.keys(op[mapping]).length) warnings.push(`operation ${name}: ${mapping} is not supported; data passes unmapped`);
    }
  }

  const tconfig = isObject(transport.Config) ? transport.Config : {};
  const mapping = isObject(tconfig.RouteOperationMapping) ? tconfig.RouteOperationMapping : {};
  // OTOBO tries the operations' routes in the order of their names.
  for (const name of Object.keys(mapping).sort()) {
    const m = mapping[name];
    const path = `/Provider/Transport/Config/RouteOperationMapping/${name}`;
    if (!config.operations[name]) {
      if (!operations[name]) warnings.push(`the route of ${name} names no operation and was left out`);
      continue;
    }
    if (!isObject(m)) throw new BadRequest(`the route mapping of ${name} is not a mapping`, path);
    const route = String(m.Route ?? '');
    if (!ROUTE.test(route)) throw new BadRequest(`route ${JSON.stringify(route)} of ${name} is not a route like /Ticket/:TicketID`, `${path}/Route`, undefined, 'INVALID_ROUTE');
    const raw = m.RequestMethod === undefined || m.RequestMethod === null || m.RequestMethod === '' ? [] : Array.isArray(m.RequestMethod) ? m.RequestMethod : [m.RequestMethod];
    const all = [...new Set(raw.map((x) => String(x).toUpperCase()))];
    const known = [...HTTP_METHODS, ...IGNORED_METHODS] as readonly string[];
    const bad = all.find((x) => !known.includes(x));
    if (bad) throw new BadRequest(`request method ${JSON.stringify(bad)} of ${name} is not one of ${known.join(', ')}`, `${path}/RequestMethod`, undefined, 'INVALID_METHOD');
    // OTOBO's admin offers CONNECT and TRACE too; nothing serves them here (and no route may
    // silently become "any method" by losing them all).
    const ignored = all.filter((x) => (IGNORED_METHODS as readonly string[]).includes(x));
    const methods = all.filter((x) => !ignored.includes(x)) as HttpMethod[];
    if (ignored.length && !methods.length) {
      warnings.push(`route ${route} of ${name} accepts only ${ignored.join(' and ')}, which this helpdesk does not serve; the route was left out`);
      continue;
    }
    for (const m of ignored) warnings.push(`route ${route} of ${name}: request method ${m} is not served and was left out`);
    config.routes.push({ route, methods, operation: name });
  }
  for (const name of Object.keys(config.operations)) {
    if (!config.routes.some((r) => r.operation === name)) warnings.push(`operation ${name} has no route in RouteOperationMapping; clients cannot reach it until one is added`);
  }

  const requester = doc.Requester;
  if (isObject(requester) && isObject(requester.Invoker) && Object.keys(requester.Invoker).length) {
    warnings.push('the requester side (invokers) is not imported: this helpdesk serves the provider side only');
  }

  const out: ImportedWebservice = { config, description: typeof doc.Description === 'string' ? doc.Description : '', warnings };
  const debugger_ = isObject(doc.Debugger) ? doc.Debugger : {};
  if ((DEBUG_LEVELS as readonly unknown[]).includes(debugger_.DebugThreshold)) out.debugLevel = debugger_.DebugThreshold as DebugLevel;
  const maxLength = Number(tconfig.MaxLength);
  if (Number.isInteger(maxLength) && maxLength > 0) out.maxLength = maxLength;
  return out;
}

/**
 * The web service as OTOBO YAML. OTOBO maps one route per operation, so an operation with several
 * routes is written once per route (`TicketGet`, `TicketGet_2`, …).
 */
export function toOtoboYaml(ws: Webservice, serverLimit: number): string {
  const operation: Record<string, unknown> = {};
  const mapping: Record<string, unknown> = {};
  const seen = new Map<string, number>();
  const write = (name: string, r: RouteConfig | undefined) => {
    const op = ws.config.operations[r?.operation ?? name]!;
    operation[name] = {
      Description: op.description ?? '',
      ...(op.includeTicketData ? { IncludeTicketData: '1' } : {}),
      MappingInbound: {},
      MappingOutbound: {},
      Type: op.type,
    };
    if (r) mapping[name] = { RequestMethod: r.methods, Route: r.route };
  };
  for (const r of ws.config.routes) {
    const n = (seen.get(r.operation) ?? 0) + 1;
    seen.set(r.operation, n);
    write(n === 1 ? r.operation : `${r.operation}_${n}`, r);
  }
  for (const name of Object.keys(ws.config.operations)) if (!seen.has(name)) write(name, undefined);
  return stringify({
    Debugger: { DebugThreshold: ws.debugLevel, TestMode: '0' },
    Description: ws.description,
    FrameworkVersion: 'helpdesk',
    Provider: {
      Operation: operation,
      Transport: {
        Config: { KeepAlive: '', MaxLength: String(ws.maxLength ?? serverLimit), RouteOperationMapping: mapping },
        Type: 'HTTP::REST',
      },
    },
    RemoteSystem: '',
    Requester: { Transport: { Type: '' } },
  });
}
