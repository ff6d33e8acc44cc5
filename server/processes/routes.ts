/**
 * `/api/v1/processes`: list, create, draft, validate, deploy, versions and their state, import
 * (JSON, BPMN XML or OTOBO YAML by content type or content), export (JSON or BPMN) and diff.
 */
import { ApiRouter, reply } from '../http/api';
import { BadRequest } from '../errors';
import {
  createdView, deployBody, deployedView, diffQuery, diffView, draftSaved, draftView, exportQuery, importQuery, importView, keySchema,
  processDocument, processSummary, stateSchema, validationView, versionSummary, versionView,
} from './schema';
import { ProcessService } from './service';
import type { ProcessState } from '../db/schema';

const key = { key: keySchema };

export function processRouter(): ApiRouter {
  const api = new ApiRouter('/processes', 'Processes');
  const svc = (c: Parameters<Parameters<ApiRouter['get']>[2]>[0]) => new ProcessService(c.get('services'));

  api.get('/', { summary: 'List processes with their latest version and draft status', auth: 'agent', responses: { 200: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: processSummary } } } } }, async (c) => ({
    items: await svc(c).list(c.get('access')),
  }));

  api.post<unknown, unknown, unknown>('/', { summary: 'Create a process (its document becomes the draft)', auth: 'admin', body: processDocument, responses: { 201: createdView } }, async (c, { body }) =>
    reply(201, await svc(c).create(c.get('access'), body)),
  );

  api.post<unknown, unknown, unknown>('/validate', { summary: 'Validate a process document: schema, semantics and references', auth: 'agent', body: processDocument, responses: { 200: validationView } }, async (c, { body }) =>
    svc(c).validate(body),
  );

  api.post<unknown, { createMissing: boolean; deploy: boolean; dryRun: boolean; onConflict?: 'new-version' | 'new-key'; key?: string }>(
    '/import',
    {
      summary: 'Import a process file: process JSON, BPMN 2.0 XML or an OTOBO/Znuny YAML export',
      description: 'The body is the file itself; its format comes from Content-Type (application/json, application/xml, application/yaml) or from its content. Missing references stop the import unless createMissing=true; dryRun=true only reports (outcome: create, new-version, key-conflict or refused, with reasons). A key that is taken needs onConflict=new-version or onConflict=new-key (with key=, else the suggested free key); otherwise 409 KEY_CONFLICT.',
      auth: 'admin',
      query: importQuery,
      responses: { 200: importView, 201: importView },
    },
    async (c, { query }) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (!bytes.length) throw new BadRequest('the request body is empty; send the process file', '/');
      const result = await svc(c).import(c.get('access'), bytes, { contentType: c.req.header('content-type'), ...query });
      return reply(result.stored ? 201 : 200, result);
    },
  );

  api.get<{ key: string }>('/:key/draft', { summary: 'The draft (or the latest version when there is no draft) with its problems', auth: 'admin', params: key, responses: { 200: draftView } }, async (c, { params }) =>
    svc(c).getDraft(c.get('access'), params.key),
  );

  api.put<{ key: string }, unknown, unknown>('/:key/draft', { summary: 'Save the draft, valid or not', auth: 'admin', params: key, body: processDocument, responses: { 200: draftSaved } }, async (c, { params, body }) =>
    svc(c).saveDraft(c.get('access'), params.key, body),
  );

  api.post<{ key: string }, unknown, { createMissing: boolean; force: boolean }>(
    '/:key/deploy',
    {
      summary: 'Deploy the draft as a new immutable version (409 DEPLOY_UNCHANGED, nothing written, when it is identical to the latest version and force is not set)',
      auth: 'admin',
      params: key,
      body: deployBody,
      responses: { 201: deployedView },
    },
    async (c, { params, body }) => reply(201, await svc(c).deploy(c.get('access'), params.key, { createMissing: body.createMissing, force: body.force })),
  );

  api.get<{ key: string }>('/:key/versions', { summary: 'The deployed versions, newest first', auth: 'agent', params: key, responses: { 200: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: versionSummary } } } } }, async (c, { params }) => ({
    items: await svc(c).versions(c.get('access'), params.key),
  }));

  api.get<{ key: string; version: number }>('/:key/versions/:version', { summary: 'One deployed version with its definition', auth: 'agent', params: { ...key, version: { type: 'integer', minimum: 1 } }, responses: { 200: versionView } }, async (c, { params }) =>
    svc(c).version(c.get('access'), params.key, params.version),
  );

  api.patch<{ key: string; version: number }, unknown, { state: ProcessState }>(
    '/:key/versions/:version',
    {
      summary: 'Change the state of a version (active, inactive, fadeaway)',
      auth: 'admin',
      params: { ...key, version: { type: 'integer', minimum: 1 } },
      body: { type: 'object', additionalProperties: false, required: ['state'], properties: { state: stateSchema } },
      responses: { 200: versionView },
    },
    async (c, { params, body }) => svc(c).setState(c.get('access'), params.key, params.version, body.state),
  );

  api.get<{ key: string }, { format: 'json' | 'bpmn'; version: number | 'latest' | 'draft' }>(
    '/:key/export',
    { summary: 'Export as canonical JSON or BPMN 2.0 XML', auth: 'agent', params: key, query: exportQuery, responses: { 200: { binary: 'application/json' } } },
    async (c, { params, query }) => {
      const text = await svc(c).export(c.get('access'), params.key, query.version, query.format);
      const ext = query.format === 'bpmn' ? 'bpmn' : 'json';
      return new Response(text, {
        headers: {
          'content-type': query.format === 'bpmn' ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="${params.key}${typeof query.version === 'number' ? `-v${query.version}` : ''}.${ext}"`,
        },
      });
    },
  );

  api.get<{ key: string }, { from: number | 'draft'; to: number | 'draft' }>(
    '/:key/diff',
    { summary: 'What changed between two versions (or a version and the draft)', auth: 'agent', params: key, query: diffQuery, responses: { 200: diffView } },
    async (c, { params, query }) => svc(c).diff(c.get('access'), params.key, query.from, query.to),
  );

  return api;
}
