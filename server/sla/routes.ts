/**
 * `/api/v1/business-calendars`: business calendars (generic catalogue: list, get, create, change, delete
 * unused ones; administrators write, agents read) and `POST /business-calendars/{id}/holidays/import`, which
 * adds the holidays of an `.ics` feed. Setting `isDefault` on one calendar clears it on the others.
 */
import type { Kysely } from 'kysely';
import { catalogueRouter, commentField } from '../catalog/table-routes';
import type { CatalogueSpec } from '../catalog/table';
import { rowIdSchema } from '../catalog/schema';
import type { DB } from '../db/schema';
import { NotFound } from '../errors';
import type { ApiRouter } from '../http/api';
import { holidaysFromIcs, MAX_ICS_CHARS } from './ics';
import { calendarFields } from './schema';

export const calendarSpec: CatalogueSpec = {
  table: 'business_calendars',
  base: '/business-calendars',
  tag: 'Calendars',
  label: 'calendar',
  readers: 'agents',
  fields: [...calendarFields, commentField],
  createdAt: true,
  usedBy: [
    { table: 'slas', column: 'calendar_id', what: 'SLAs' },
    { table: 'queues', column: 'calendar_id', what: 'queues' },
  ],
  deletable: true,
  afterWrite: async (trx: Kysely<DB>, _access, id) => {
    if (id === undefined) return;
    const row = await trx.selectFrom('business_calendars').select('is_default').where('id', '=', id).executeTakeFirst();
    if (row?.is_default) await trx.updateTable('business_calendars').set({ is_default: false }).where('id', '!=', id).where('is_default', '=', true).execute();
  },
};

export function calendarRouter(): ApiRouter {
  const { api, readOne, detailSchema } = catalogueRouter(calendarSpec);
  api.post<{ id: number }, unknown, { ics: string; replace?: boolean }>(
    '/:id/holidays/import',
    {
      summary: 'Add the holidays of an iCalendar (.ics) feed to a calendar',
      auth: 'admin',
      params: { id: rowIdSchema },
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['ics'],
        properties: {
          ics: { type: 'string', minLength: 1, maxLength: MAX_ICS_CHARS, description: 'the .ics text' },
          replace: { type: 'boolean', description: 'replace the existing holidays instead of adding to them' },
        },
      },
      responses: { 200: detailSchema },
    },
    async (c, { params, body }) => {
      await c.get('access').assertAdmin();
      const db = c.get('services').database.db;
      const found = holidaysFromIcs(body.ics);
      await db.transaction().execute(async (trx) => {
        const cal = await trx.selectFrom('business_calendars').select('holidays').where('id', '=', params.id).forUpdate().executeTakeFirst();
        if (!cal) throw new NotFound('calendar');
        const merged = body.replace ? [] : [...cal.holidays];
        for (const h of found) if (!merged.some((m) => m.date === h.date && !!m.recurring === !!h.recurring)) merged.push(h);
        await trx.updateTable('business_calendars').set({ holidays: JSON.stringify(merged) }).where('id', '=', params.id).execute();
      });
      return readOne(db, params.id);
    },
  );
  return api;
}
