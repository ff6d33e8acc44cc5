/**
 * `/api/v1/agents`: any agent lists and reads agents (owner pickers); administrators create and
 * change them (`"valid": false` retires one; agents are never deleted, tickets refer to them) and
 * set their direct permissions and roles. Passwords are write-only.
 */
import { listOf, rowIdSchema, type ListQuery } from '../catalog/schema';
import { ApiRouter, reply } from '../http/api';
import { permissionsBody, rolesBody, type PermissionsBody, type RolesBody } from '../groups/schema';
import { absentAgents } from '../preferences/out-of-office';
import { agentRepo } from './repo';
import { absenceView, agentDetailView, agentListQuery, agentView as agentViewSchema, createAgentBody, patchAgentBody, type AgentBody } from './schema';
import { AgentService, agentView } from './service';

export function agentRouter(): ApiRouter {
  const api = new ApiRouter('/agents', 'Agents');

  api.get<unknown, ListQuery>(
    '/',
    { summary: 'List agents (`?search=` on login, name and email)', auth: 'agent', query: agentListQuery, responses: { 200: listOf(agentViewSchema) } },
    async (c, { query }) => {
      c.get('access').requireAgent();
      const { rows, total } = await agentRepo.list(c.get('services').database.db, query);
      return { items: rows.map(agentView), total, page: query.page, perPage: query.perPage };
    },
  );

  api.get(
    '/out-of-office',
    {
      summary: 'The agents who are out of office today, with their periods (shown beside ticket owners)',
      auth: 'agent',
      responses: { 200: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: absenceView } } } },
    },
    async (c) => {
      c.get('access').requireAgent();
      const { database, now } = c.get('services');
      return { items: await absentAgents(database.db, now()) };
    },
  );

  api.get<{ id: number }>(
    '/:id',
    {
      summary: 'Get an agent (with direct, role and effective permissions for administrators and oneself)',
      auth: 'agent',
      params: { id: rowIdSchema },
      responses: { 200: agentDetailView },
    },
    async (c, { params }) => {
      const access = c.get('access');
      access.requireAgent();
      return new AgentService(c.get('services')).detail(params.id, access);
    },
  );

  api.post<unknown, unknown, Required<Pick<AgentBody, 'login' | 'firstName' | 'lastName' | 'email'>> & AgentBody>(
    '/',
    { summary: 'Create an agent', auth: 'admin', body: createAgentBody, responses: { 201: agentDetailView } },
    async (c, { body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new AgentService(c.get('services'));
      const id = await svc.create(body);
      return reply(201, await svc.detail(id, access));
    },
  );

  api.patch<{ id: number }, unknown, AgentBody>(
    '/:id',
    { summary: 'Change an agent (`"valid": false` retires it)', auth: 'admin', params: { id: rowIdSchema }, body: patchAgentBody, responses: { 200: agentDetailView } },
    async (c, { params, body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new AgentService(c.get('services'));
      await svc.update(params.id, body, access);
      return svc.detail(params.id, access);
    },
  );

  api.put<{ id: number }, unknown, PermissionsBody>(
    '/:id/permissions',
    {
      summary: "Replace an agent's direct permissions (`{ groups: { <group>: [permissions] } }`)",
      auth: 'admin',
      params: { id: rowIdSchema },
      body: permissionsBody,
      responses: { 200: agentDetailView },
    },
    async (c, { params, body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new AgentService(c.get('services'));
      await svc.setPermissions(params.id, body.groups, access);
      return svc.detail(params.id, access);
    },
  );

  api.put<{ id: number }, unknown, RolesBody>(
    '/:id/roles',
    { summary: "Replace an agent's roles (`{ roles: [names] }`)", auth: 'admin', params: { id: rowIdSchema }, body: rolesBody, responses: { 200: agentDetailView } },
    async (c, { params, body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new AgentService(c.get('services'));
      await svc.setRoles(params.id, body.roles, access);
      return svc.detail(params.id, access);
    },
  );

  return api;
}
