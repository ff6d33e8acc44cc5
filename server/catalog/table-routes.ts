/**
 * Builds the routes of a simple named catalogue table from its spec (table.ts): `GET /`, `GET /:id`,
 * and for administrators `POST /`, `PATCH /:id` and (where the spec allows) `DELETE /:id`, each
 * declared with request and response schemas derived from the spec. A domain may add routes to the
 * returned router (roles add `PUT /:id/permissions`).
 */
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { NotFound } from '../errors';
import { ApiRouter, reply, type JsonSchema } from '../http/api';
import type { AppEnv } from '../http/env';
import { parentName } from './hierarchy';
import { commentSchema, dateTime, listOf, listQuery, nameSchema, rowIdSchema, type ListQuery, type Page } from './schema';
import { catalogueService, type CatalogueSpec, type FieldSpec, type Values } from './table';
import { catalogueRepo, type CatalogueRow } from './table-repo';
import { writeTransaction } from './transaction';

/** Extra properties of `GET /:id` (e.g. the permission matrix of a role). */
export interface CatalogueDetail {
  properties: Record<string, JsonSchema>;
  load(db: Kysely<DB>, row: CatalogueRow): Promise<Record<string, unknown>>;
}

export interface CatalogueRoutes {
  api: ApiRouter;
  /** Schema of one entry as `GET /:id` answers it. */
  detailSchema: JsonSchema;
  /** One entry as `GET /:id` answers it, or 404. */
  readOne(db: Kysely<DB>, id: number): Promise<Record<string, unknown>>;
}

/** A comment column, as most catalogue tables have. */
export const commentField: FieldSpec = { prop: 'comment', column: 'comment', schema: commentSchema };

export async function assertReader(access: Access, readers: CatalogueSpec['readers']): Promise<void> {
  if (readers === 'everyone') access.requireActor();
  else if (readers === 'agents') access.requireAgent();
  else await access.assertAdmin();
}

function viewSchema(spec: CatalogueSpec): { type: 'object'; additionalProperties: false; required: string[]; properties: Record<string, JsonSchema> } {
  const properties: Record<string, JsonSchema> = { id: { type: 'integer' }, name: { type: 'string' } };
  if (spec.hierarchical) properties.parentName = { type: ['string', 'null'], description: 'the part of the name before the last "::"' };
  for (const r of spec.refs ?? []) {
    if (r.idProp) properties[r.idProp] = { type: 'integer' };
    properties[r.nameProp] = { type: 'string' };
  }
  for (const f of spec.fields) properties[f.prop] = f.schema;
  properties.valid = { type: 'boolean' };
  if (spec.createdAt) properties.createdAt = dateTime;
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties };
}

function toView(spec: CatalogueSpec, row: CatalogueRow): Record<string, unknown> {
  const v: Record<string, unknown> = { id: row.id, name: row.name };
  if (spec.hierarchical) v.parentName = parentName(row.name);
  (spec.refs ?? []).forEach((r, i) => {
    if (r.idProp) v[r.idProp] = row[r.column];
    v[r.nameProp] = row[`ref_${i}`];
  });
  for (const f of spec.fields) v[f.prop] = row[f.column];
  v.valid = row.valid;
  if (spec.createdAt) v.createdAt = (row.created_at as Date).toISOString();
  return v;
}

function bodySchema(spec: CatalogueSpec, creating: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = { name: nameSchema, valid: { type: 'boolean' } };
  for (const f of spec.fields) properties[f.prop] = f.schema;
  for (const r of spec.refs ?? []) {
    if (r.idProp) properties[r.idProp] = rowIdSchema;
    properties[r.nameProp] = nameSchema;
  }
  return creating
    ? { type: 'object', additionalProperties: false, required: ['name', ...spec.fields.filter((f) => f.required).map((f) => f.prop)], properties }
    : { type: 'object', additionalProperties: false, minProperties: 1, properties };
}

export function catalogueRouter(spec: CatalogueSpec, detail?: CatalogueDetail): CatalogueRoutes {
  const api = new ApiRouter(spec.base, spec.tag);
  const item = viewSchema(spec);
  const detailSchema = detail
    ? { ...item, required: [...item.required, ...Object.keys(detail.properties)], properties: { ...item.properties, ...detail.properties } }
    : item;
  const readerAuth = spec.readers === 'admins' ? 'admin' : spec.readers === 'agents' ? 'agent' : 'any';
  const db = (c: Context<AppEnv>) => c.get('services').database.db;
  const duplicate = { message: `a ${spec.label} with that name already exists`, path: '/name' };

  /** The row, or 404 when it is missing or hidden from the caller. */
  async function visibleRow(c: Context<AppEnv>, id: number): Promise<CatalogueRow> {
    const row = await catalogueRepo.byId(db(c), spec, id);
    const visible = spec.visibleIds ? await spec.visibleIds(c.get('access')) : 'all';
    if (!row || (visible !== 'all' && !visible.includes(row.id))) throw new NotFound(spec.label);
    return row;
  }

  async function readOne(database: Kysely<DB>, id: number) {
    const row = await catalogueRepo.byId(database, spec, id);
    if (!row) throw new NotFound(spec.label);
    return { ...toView(spec, row), ...(detail ? await detail.load(database, row) : {}) };
  }

  api.get<unknown, ListQuery>(
    '/',
    { summary: `List ${spec.tag.toLowerCase()}`, auth: readerAuth, query: listQuery, responses: { 200: listOf(item) } },
    async (c, { query }): Promise<Page<Record<string, unknown>>> => {
      const access = c.get('access');
      await assertReader(access, spec.readers);
      const visible = spec.visibleIds ? await spec.visibleIds(access) : 'all';
      const { rows, total } = await catalogueRepo.list(db(c), spec, query, visible);
      return { items: rows.map((r) => toView(spec, r)), total, page: query.page, perPage: query.perPage };
    },
  );

  api.get<{ id: number }>(
    '/:id',
    { summary: `Get a ${spec.label}`, auth: readerAuth, params: { id: rowIdSchema }, responses: { 200: detailSchema } },
    async (c, { params }) => {
      await assertReader(c.get('access'), spec.readers);
      const row = await visibleRow(c, params.id);
      return { ...toView(spec, row), ...(detail ? await detail.load(db(c), row) : {}) };
    },
  );

  api.post<unknown, unknown, Values>(
    '/',
    { summary: `Create a ${spec.label}`, auth: 'admin', body: bodySchema(spec, true), responses: { 201: detailSchema } },
    async (c, { body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const id = await writeTransaction(db(c), (trx) => catalogueService.create(trx, spec, body, access, c.get('services').now()), duplicate);
      return reply(201, await readOne(db(c), id));
    },
  );

  api.patch<{ id: number }, unknown, Values>(
    '/:id',
    {
      summary: `Change a ${spec.label} (\`"valid": false\` retires it)`,
      auth: 'admin',
      params: { id: rowIdSchema },
      body: bodySchema(spec, false),
      responses: { 200: detailSchema },
    },
    async (c, { params, body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      await writeTransaction(
        db(c),
        async (trx) => {
          const row = await catalogueRepo.byId(trx, spec, params.id);
          if (!row) throw new NotFound(spec.label);
          await catalogueService.update(trx, spec, row, body, access);
        },
        duplicate,
      );
      return readOne(db(c), params.id);
    },
  );

  if (spec.deletable) {
    api.delete<{ id: number }>(
      '/:id',
      { summary: `Delete a ${spec.label} that nothing uses`, auth: 'admin', params: { id: rowIdSchema }, responses: { 204: null } },
      async (c, { params }) => {
        const access = c.get('access');
        await access.assertAdmin();
        await db(c)
          .transaction()
          .execute(async (trx) => {
            const row = await catalogueRepo.byId(trx, spec, params.id);
            if (!row) throw new NotFound(spec.label);
            await catalogueService.remove(trx, spec, row, access);
          });
        return reply(204, null);
      },
    );
  }

  return { api, detailSchema, readOne };
}
