/** Queries on dynamic field definitions (values belong to values.ts; here they are only counted). */
import type { Kysely, Updateable } from 'kysely';
import { containsPattern } from '../catalog/schema';
import type { DB, DynamicFieldsTable } from '../db/schema';
import type { FieldListQuery } from './schema';

type Db = Kysely<DB>;

export const fieldRepo = {
  async list(db: Db, q: FieldListQuery & { customerVisibleOnly?: boolean }) {
    let base = db.selectFrom('dynamic_fields');
    if (!q.includeInternal) base = base.where('internal', '=', false);
    if (q.customerVisibleOnly) base = base.where('customer_visible', '=', true);
    if (q.objectType) base = base.where('object_type', '=', q.objectType);
    if (q.valid !== undefined) base = base.where('valid', '=', q.valid);
    if (q.search) {
      const p = containsPattern(q.search);
      base = base.where((eb) => eb.or([eb('name', 'ilike', p), eb('label', 'ilike', p)]));
    }
    const { total } = await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('field_order')
      .orderBy('name')
      .limit(q.perPage)
      .offset((q.page - 1) * q.perPage)
      .execute();
    return { rows, total: Number(total) };
  },

  byId(db: Db, id: number) {
    return db.selectFrom('dynamic_fields').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byName(db: Db, name: string) {
    return db.selectFrom('dynamic_fields').selectAll().where('name', '=', name).executeTakeFirst();
  },

  async insert(db: Db, v: { name: string; label: string; field_type: DynamicFieldsTable['field_type']; object_type: 'ticket' | 'article'; config: string; internal: boolean; customer_visible?: boolean; field_order: number; valid: boolean; created_at: Date; changed_at: Date }) {
    return (await db.insertInto('dynamic_fields').values(v).returning('id').executeTakeFirstOrThrow()).id;
  },

  async update(db: Db, id: number, v: Updateable<DynamicFieldsTable>) {
    await db.updateTable('dynamic_fields').set(v).where('id', '=', id).execute();
  },

  async remove(db: Db, id: number) {
    await db.deleteFrom('dynamic_fields').where('id', '=', id).execute();
  },

  async countValues(db: Db, fieldId: number): Promise<number> {
    const r = await db
      .selectFrom('dynamic_field_values')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('field_id', '=', fieldId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
};

export type FieldRecord = NonNullable<Awaited<ReturnType<typeof fieldRepo.byId>>>;
