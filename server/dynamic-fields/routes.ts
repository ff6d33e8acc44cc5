/**
 * `/api/v1/dynamic-fields`: field definitions. Everyone logged in reads the fields that are not
 * internal (forms need them); administrators also see internal ones (`?includeInternal=true`) and
 * create, change, retire and delete (while no values exist) fields.
 */
import { listOf, rowIdSchema } from '../catalog/schema';
import { ApiRouter, reply } from '../http/api';
import { createFieldBody, fieldListQuery, fieldView, patchFieldBody, type FieldBody, type FieldListQuery } from './schema';
import { DynamicFieldService } from './service';

export function dynamicFieldRouter(): ApiRouter {
  const api = new ApiRouter('/dynamic-fields', 'Dynamic fields');

  api.get<unknown, FieldListQuery>(
    '/',
    { summary: 'List dynamic field definitions', auth: 'any', query: fieldListQuery, responses: { 200: listOf(fieldView) } },
    (c, { query }) => new DynamicFieldService(c.get('services')).list(query, c.get('access')),
  );

  api.get<{ id: number }>(
    '/:id',
    { summary: 'Get a dynamic field definition', auth: 'any', params: { id: rowIdSchema }, responses: { 200: fieldView } },
    (c, { params }) => new DynamicFieldService(c.get('services')).get(params.id, c.get('access')),
  );

  api.post<unknown, unknown, FieldBody & Required<Pick<FieldBody, 'name' | 'label' | 'fieldType'>>>(
    '/',
    { summary: 'Create a dynamic field', auth: 'admin', body: createFieldBody, responses: { 201: fieldView } },
    async (c, { body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new DynamicFieldService(c.get('services'));
      const id = await svc.create(body);
      return reply(201, await svc.get(id, access));
    },
  );

  api.patch<{ id: number }, unknown, FieldBody>(
    '/:id',
    {
      summary: 'Change a dynamic field (its type only while it has no values)',
      auth: 'admin',
      params: { id: rowIdSchema },
      body: patchFieldBody,
      responses: { 200: fieldView },
    },
    async (c, { params, body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new DynamicFieldService(c.get('services'));
      await svc.update(params.id, body);
      return svc.get(params.id, access);
    },
  );

  api.delete<{ id: number }>(
    '/:id',
    { summary: 'Delete a dynamic field that has no values', auth: 'admin', params: { id: rowIdSchema }, responses: { 204: null } },
    async (c, { params }) => {
      await c.get('access').assertAdmin();
      await new DynamicFieldService(c.get('services')).remove(params.id);
      return reply(204, null);
    },
  );

  return api;
}
