/**
 * `/api/v1/webservices`: administering the Generic Interface's web services (list, read, create,
 * change, delete), importing an OTOBO web-service YAML and exporting one, and the debugger log.
 * The web services themselves answer at `/api/webservice/<Name>/...` (see `provider.ts`).
 */
import { BadRequest } from '../errors';
import { ApiRouter, idSchema, reply } from '../http/api';
import {
  debugLogQuery,
  debugLogView,
  importQuery,
  importView,
  webserviceCreateBody,
  webserviceListView,
  webservicePatchBody,
  webserviceView,
  type ImportQuery,
  type WebserviceInput,
} from './schema';
import { WebserviceService } from './webservices';

const id = { id: idSchema };

export function webserviceRouter(): ApiRouter {
  const api = new ApiRouter('/webservices', 'Web services');
  const svc = (c: Parameters<Parameters<ApiRouter['get']>[2]>[0]) => new WebserviceService(c.get('services'));

  api.get('/', { summary: 'List the Generic Interface web services', auth: 'admin', responses: { 200: webserviceListView } }, async (c) => ({
    items: await svc(c).list(c.get('access')),
  }));

  api.post<unknown, unknown, Parameters<WebserviceService['create']>[1]>(
    '/',
    {
      summary: 'Create a web service',
      description: 'Operations by name with their OTOBO type (`Ticket::TicketGet` …), and routes (`/Ticket/:TicketID`) with the HTTP methods that reach each operation; the first matching route wins.',
      auth: 'admin',
      body: webserviceCreateBody,
      responses: { 201: webserviceView },
    },
    async (c, { body }) => reply(201, await svc(c).create(c.get('access'), body)),
  );

  api.post<unknown, ImportQuery>(
    '/import',
    {
      summary: 'Import an OTOBO web-service YAML',
      description: 'The body is the YAML file as OTOBO exports it. Operations of types this helpdesk does not provide, mappings and the requester side are left out and listed in `warnings`.',
      auth: 'admin',
      query: importQuery,
      responses: { 200: importView, 201: importView },
    },
    async (c, { query }) => {
      const text = await c.req.text();
      if (!text.trim()) throw new BadRequest('the request body is empty; send the web-service YAML', '/');
      const { created, ...result } = await svc(c).importYaml(c.get('access'), text, query);
      return reply(created ? 201 : 200, result);
    },
  );

  api.get<{ id: number }>('/:id', { summary: 'One web service', auth: 'admin', params: id, responses: { 200: webserviceView } }, async (c, { params }) =>
    svc(c).get(c.get('access'), params.id),
  );

  api.patch<{ id: number }, unknown, WebserviceInput>(
    '/:id',
    { summary: 'Change a web service (envelope, debug level, operations, routes …)', auth: 'admin', params: id, body: webservicePatchBody, responses: { 200: webserviceView } },
    async (c, { params, body }) => svc(c).update(c.get('access'), params.id, body),
  );

  api.delete<{ id: number }>('/:id', { summary: 'Delete a web service and its debugger log', auth: 'admin', params: id, responses: { 204: null } }, async (c, { params }) => {
    await svc(c).remove(c.get('access'), params.id);
    return reply(204, null);
  });

  api.get<{ id: number }>(
    '/:id/export',
    { summary: 'Export a web service as OTOBO YAML', auth: 'admin', params: id, responses: { 200: { binary: 'application/yaml' } } },
    async (c, { params }) => {
      const { name, yaml } = await svc(c).exportYaml(c.get('access'), params.id);
      return new Response(yaml, {
        status: 200,
        headers: { 'Content-Type': 'application/yaml; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.yml"` },
      });
    },
  );

  api.get<{ id: number }, { page: number; perPage: number }>(
    '/:id/debug-log',
    {
      summary: "The web service's debugger log, newest first",
      description: 'Each request and response the debug level asks to keep, with passwords, session ids, API keys and tokens masked.',
      auth: 'admin',
      params: id,
      query: debugLogQuery,
      responses: { 200: debugLogView },
    },
    async (c, { params, query }) => svc(c).debugLog(c.get('access'), params.id, query.page, query.perPage),
  );

  api.delete<{ id: number }>('/:id/debug-log', { summary: "Clear the web service's debugger log", auth: 'admin', params: id, responses: { 204: null } }, async (c, { params }) => {
    await svc(c).clearDebugLog(c.get('access'), params.id);
    return reply(204, null);
  });

  return api;
}
