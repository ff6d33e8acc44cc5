/**
 * `/api/v1/outbound-services`: the remote systems service tasks and ExecuteInvoker actions call
 * (administrators): list, read, create, replace (PUT), change (PATCH), delete, and a test call of one
 * operation with sample data. Secrets are write-only (`auth.secret` in, `auth.hasSecret` out).
 */
import { ApiRouter, reply } from '../http/api';
import { outboundCreateBody, outboundListView, outboundNameSchema, outboundPatchBody, outboundPutBody, outboundView, testCallBody, testCallView, type OutboundInput, type TestCallInput } from './schema';
import { OutboundService } from './service';

const name = { name: outboundNameSchema };

export function outboundRouter(): ApiRouter {
  const api = new ApiRouter('/outbound-services', 'Outbound services');
  const svc = (c: Parameters<Parameters<ApiRouter['get']>[2]>[0]) => new OutboundService(c.get('services'));

  api.get('/', { summary: 'List the outbound web services', auth: 'admin', responses: { 200: outboundListView } }, async (c) => ({
    items: await svc(c).list(c.get('access')),
  }));
  api.post<unknown, unknown, OutboundInput & { name: string }>(
    '/',
    {
      summary: 'Create an outbound web service',
      description: 'Base URL, auth (`none`, `basic` with user, `bearer`, `apiKey` with header; the secret is stored encrypted and never returned), default headers, timeout, retries, allow-list (hosts and CIDRs that may be called although private or loopback) and operations (method, path/query/header/body templates over `ticket`, `vars` and `params`, response mapping by JSON pointer into `vars` and `dynamicFields`).',
      auth: 'admin',
      body: outboundCreateBody,
      responses: { 201: outboundView },
    },
    async (c, { body }) => reply(201, await svc(c).create(c.get('access'), body)),
  );
  api.get<{ name: string }>('/:name', { summary: 'One outbound web service', auth: 'admin', params: name, responses: { 200: outboundView } }, async (c, { params }) =>
    svc(c).get(c.get('access'), params.name),
  );
  api.put<{ name: string }, unknown, OutboundInput>(
    '/:name',
    { summary: 'Replace an outbound web service', description: 'Settings left out get their defaults; the stored secret stays unless `auth.secret` is given or the auth kind changes.', auth: 'admin', params: name, body: outboundPutBody, responses: { 200: outboundView } },
    async (c, { params, body }) => svc(c).update(c.get('access'), params.name, body, 'put'),
  );
  api.patch<{ name: string }, unknown, OutboundInput>(
    '/:name',
    { summary: 'Change settings of an outbound web service', description: 'Only the settings given change (`operations` and `auth` as a whole).', auth: 'admin', params: name, body: outboundPatchBody, responses: { 200: outboundView } },
    async (c, { params, body }) => svc(c).update(c.get('access'), params.name, body, 'patch'),
  );
  api.delete<{ name: string }>('/:name', { summary: 'Delete an outbound web service', auth: 'admin', params: name, responses: { 204: null } }, async (c, { params }) => {
    await svc(c).remove(c.get('access'), params.name);
    return reply(204, null);
  });
  api.post<{ name: string }, unknown, TestCallInput>(
    '/:name/test',
    {
      summary: 'Try one operation with sample data',
      description: 'Calls the remote system for real (allow-list, timeout and size limit apply; no retries) and answers the status, duration, mapped result or error code and message, and an excerpt of the answer.',
      auth: 'admin',
      params: name,
      body: testCallBody,
      responses: { 200: testCallView },
    },
    async (c, { params, body }) => svc(c).testCall(c.get('access'), params.name, body),
  );
  return api;
}
