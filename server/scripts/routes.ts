/** `/api/v1/scripts`: the script library for script tasks (administrators). */
import { ApiRouter, reply } from '../http/api';
import { runResultView, scriptCreateBody, scriptNameSchema, scriptRunBody, scriptSummary, scriptUpdateBody, scriptView, versionList, type ScriptRunInput } from './schema';
import { ScriptService } from './service';

const name = { name: scriptNameSchema };

export function scriptRouter(): ApiRouter {
  const api = new ApiRouter('/scripts', 'Scripts');
  const svc = (c: Parameters<Parameters<ApiRouter['get']>[2]>[0]) => new ScriptService(c.get('services'));

  api.get('/', { summary: 'List the scripts', auth: 'admin', responses: { 200: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: scriptSummary } } } } }, async (c) => ({
    items: await svc(c).list(c.get('access')),
  }));
  api.post<unknown, unknown, { name: string; source: string; description?: string }>('/', { summary: 'Create a script (version 1)', auth: 'admin', body: scriptCreateBody, responses: { 201: scriptView } }, async (c, { body }) =>
    reply(201, await svc(c).create(c.get('access'), body)),
  );
  api.get<{ name: string }>('/:name', { summary: 'The latest version of a script', auth: 'admin', params: name, responses: { 200: scriptView } }, async (c, { params }) =>
    svc(c).get(c.get('access'), params.name),
  );
  api.put<{ name: string }, unknown, { source: string; description?: string }>('/:name', { summary: 'Store a new version of a script', auth: 'admin', params: name, body: scriptUpdateBody, responses: { 200: scriptView } }, async (c, { params, body }) =>
    svc(c).update(c.get('access'), params.name, body),
  );
  api.get<{ name: string }>('/:name/versions', { summary: "A script's versions, newest first", auth: 'admin', params: name, responses: { 200: versionList } }, async (c, { params }) => ({
    items: await svc(c).versions(c.get('access'), params.name),
  }));
  api.get<{ name: string; version: number }>('/:name/versions/:version', { summary: 'One version of a script', auth: 'admin', params: { ...name, version: { type: 'integer', minimum: 1 } }, responses: { 200: scriptView } }, async (c, { params }) =>
    svc(c).get(c.get('access'), params.name, params.version),
  );
  api.post<{ name: string }, unknown, ScriptRunInput>('/:name/run', { summary: 'Run a script with sample input in the sandbox', auth: 'admin', params: name, body: scriptRunBody, responses: { 200: runResultView } }, async (c, { params, body }) =>
    svc(c).run(c.get('access'), params.name, body),
  );
  return api;
}
