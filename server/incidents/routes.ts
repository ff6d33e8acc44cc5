/**
 * `/api/v1/incidents` (administrators): the list (open by default), one incident, and retry / skip /
 * cancel, each one transaction through the engine.
 */
import { ApiRouter, idSchema } from '../http/api';
import { cancelBody, incidentContextView, incidentListQuery, incidentListView, incidentView, retryBody, skipBody, type IncidentListQuery, type RetryInput } from './schema';
import { IncidentService } from './service';

const id = { id: idSchema };

const actResult = {
  type: 'object',
  additionalProperties: false,
  required: ['incident', 'instance', 'openIncidents'],
  properties: {
    incident: incidentView,
    instance: { type: 'object', additionalProperties: false, required: ['id', 'status'], properties: { id: { type: 'integer' }, status: { type: 'string' } } },
    openIncidents: { type: 'array', items: incidentView, description: "the instance's incidents still open afterwards (a retry can fail again)" },
  },
} as const;

export function incidentRouter(): ApiRouter {
  const api = new ApiRouter('/incidents', 'Incidents');
  const svc = (c: Parameters<Parameters<ApiRouter['get']>[2]>[0]) => new IncidentService(c.get('services'));

  api.get<unknown, IncidentListQuery>(
    '/',
    {
      summary: 'Incidents of process instances, newest first (open ones unless status says otherwise); a child process’s incidents carry its root instance',
      auth: 'admin',
      query: incidentListQuery,
      responses: { 200: incidentListView },
    },
    async (c, { query }) => svc(c).list(c.get('access'), query),
  );

  api.get<{ id: number }>('/:id', { summary: 'One incident', auth: 'admin', params: id, responses: { 200: incidentView } }, async (c, { params }) =>
    svc(c).get(c.get('access'), params.id),
  );

  api.get<{ id: number }>(
    '/:id/context',
    {
      summary: "One incident with its ticket (administrators read it whatever their queue rights, read-only), the instance's variables and the nodes a token may be skipped to",
      auth: 'admin',
      params: id,
      responses: { 200: incidentContextView },
    },
    async (c, { params }) => svc(c).context(c.get('access'), params.id),
  );

  api.post<{ id: number }, unknown, RetryInput>(
    '/:id/retry',
    {
      summary: 'Retry the stuck token: set dynamic fields on the ticket and merge variables first if given (409 INCIDENT_RESOLVED when resolved already)',
      auth: 'admin',
      params: id,
      body: retryBody,
      responses: { 200: actResult },
    },
    async (c, { params, body }) => svc(c).retry(c.get('access'), params.id, body),
  );

  api.post<{ id: number }, unknown, { toNodeId: string }>(
    '/:id/skip',
    { summary: 'Move the stuck token to another node (400 naming toNodeId when there is no such node)', auth: 'admin', params: id, body: skipBody, responses: { 200: actResult } },
    async (c, { params, body }) => svc(c).skip(c.get('access'), params.id, body.toNodeId),
  );

  api.post<{ id: number }, unknown, { reason?: string }>(
    '/:id/cancel',
    { summary: 'Cancel the process instance the incident is on', auth: 'admin', params: id, body: cancelBody, responses: { 200: actResult } },
    async (c, { params, body }) => svc(c).cancel(c.get('access'), params.id, body.reason),
  );

  return api;
}
