/**
 * Rules for dynamic field definitions: names are letters and digits and unique (409 `/name`), the
 * configuration is checked per type (config.ts), the type and object type cannot change once values
 * exist (409), and a field with values cannot be deleted (retire it with `"valid": false`). Internal
 * fields are visible to administrators only; customers see only customer-visible ones.
 */
import type { Kysely } from 'kysely';
import type { Access } from '../access/access';
import { writeTransaction } from '../catalog/transaction';
import type { DB } from '../db/schema';
import { Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { checkFieldConfig } from './config';
import { fieldRepo, type FieldRecord } from './repo';
import type { FieldBody, FieldListQuery } from './schema';
import { valueSchema, type DynamicFieldConfig } from './value-schema';

export function fieldView(f: FieldRecord) {
  return {
    id: f.id,
    name: f.name,
    label: f.label,
    fieldType: f.field_type,
    objectType: f.object_type,
    config: f.config,
    internal: f.internal,
    customerVisible: f.customer_visible,
    fieldOrder: f.field_order,
    valid: f.valid,
    valueSchema: valueSchema(f),
    createdAt: f.created_at.toISOString(),
    changedAt: f.changed_at.toISOString(),
  };
}

const duplicate = (name: string | undefined) => ({ message: `a dynamic field named "${name}" already exists`, path: '/name' });

export class DynamicFieldService {
  private readonly db: Kysely<DB>;

  constructor(private readonly services: Services) {
    this.db = services.database.db;
  }

  async list(q: FieldListQuery, access: Access) {
    access.requireActor();
    if (q.includeInternal) await access.assertAdmin();
    const { rows, total } = await fieldRepo.list(this.db, { ...q, customerVisibleOnly: access.actor?.kind === 'customer' });
    return { items: rows.map(fieldView), total, page: q.page, perPage: q.perPage };
  }

  /** One field; an internal one is a 404 to anyone but an administrator, one not customer-visible to customers. */
  async get(id: number, access: Access) {
    const actor = access.requireActor();
    const f = await fieldRepo.byId(this.db, id);
    if (!f || (f.internal && !(await access.isAdmin())) || (actor.kind === 'customer' && (!f.customer_visible || f.internal))) throw new NotFound('dynamic field');
    return fieldView(f);
  }

  async create(b: FieldBody & { name: string; label: string; fieldType: FieldRecord['field_type'] }): Promise<number> {
    const config = b.config ?? {};
    checkFieldConfig(b.name, b.fieldType, config);
    return writeTransaction(
      this.db,
      async (trx) => {
        if (await fieldRepo.byName(trx, b.name)) throw new Conflict(duplicate(b.name).message, '/name', 'DUPLICATE');
        return fieldRepo.insert(trx, {
          name: b.name,
          label: b.label,
          field_type: b.fieldType,
          object_type: b.objectType ?? 'ticket',
          config: JSON.stringify(config),
          internal: b.internal ?? false,
          customer_visible: b.customerVisible ?? false,
          field_order: b.fieldOrder ?? 0,
          valid: b.valid ?? true,
          created_at: this.services.now(),
          changed_at: this.services.now(),
        });
      },
      duplicate(b.name),
    );
  }

  async update(id: number, b: FieldBody): Promise<void> {
    await writeTransaction(
      this.db,
      async (trx) => {
        const f = await fieldRepo.byId(trx, id);
        if (!f) throw new NotFound('dynamic field');
        const fieldType = b.fieldType ?? f.field_type;
        const retyping = fieldType !== f.field_type;
        const moving = b.objectType !== undefined && b.objectType !== f.object_type;
        if (retyping || moving) {
          const n = await fieldRepo.countValues(trx, id);
          if (n > 0) {
            const what = retyping ? 'fieldType' : 'objectType';
            throw new Conflict(`the ${what} of dynamic field "${f.name}" cannot change: it has ${n} value(s)`, `/${what}`, 'IN_USE');
          }
        }
        const config = b.config ?? (f.config as DynamicFieldConfig);
        if (b.config !== undefined || retyping) checkFieldConfig(b.name ?? f.name, fieldType, config);
        if (b.name !== undefined && b.name !== f.name && (await fieldRepo.byName(trx, b.name))) {
          throw new Conflict(duplicate(b.name).message, '/name', 'DUPLICATE');
        }
        await fieldRepo.update(trx, id, {
          ...(b.name !== undefined && { name: b.name }),
          ...(b.label !== undefined && { label: b.label }),
          ...(retyping && { field_type: fieldType }),
          ...(b.objectType !== undefined && { object_type: b.objectType }),
          ...(b.config !== undefined && { config: JSON.stringify(b.config) }),
          ...(b.internal !== undefined && { internal: b.internal }),
          ...(b.customerVisible !== undefined && { customer_visible: b.customerVisible }),
          ...(b.fieldOrder !== undefined && { field_order: b.fieldOrder }),
          ...(b.valid !== undefined && { valid: b.valid }),
          changed_at: this.services.now(),
        });
      },
      duplicate(b.name),
    );
  }

  async remove(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const f = await fieldRepo.byId(trx, id);
      if (!f) throw new NotFound('dynamic field');
      const n = await fieldRepo.countValues(trx, id);
      if (n > 0) throw new Conflict(`dynamic field "${f.name}" has ${n} value(s); set "valid": false to retire it instead`, undefined, 'IN_USE');
      await fieldRepo.remove(trx, id);
    });
  }
}

