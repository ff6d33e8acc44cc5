/**
 * One generic piece for the simple named catalogue tables (states, priorities, ticket types,
 * services, SLAs, groups, roles and queues): a declarative spec says which columns the table has
 * beyond `id`/`name`/`valid`, which other table it refers to (a queue's group, a state's type), who
 * may read it, whether names have `::` parents, what uses its rows and which rows the system depends
 * on. `catalogueRouter(spec)` (table-routes.ts) builds the routes from it; this file holds the rules.
 *
 * Rules common to all: names are unique (409 naming `/name`); `valid: false` retires an entry;
 * DELETE is refused (409) while something uses the row; protected rows can be neither renamed,
 * retired nor deleted; with `::` names the parent must exist and renaming a parent renames its
 * descendants.
 */
import type { Kysely } from 'kysely';
import type { Access } from '../access/access';
import type { DB } from '../db/schema';
import { BadRequest, Conflict } from '../errors';
import type { JsonSchema } from '../http/api';
import { checkHierarchicalName, isSameOrBelow, parentName, renamedDescendant } from './hierarchy';
import { catalogueRepo, type CatalogueRow } from './table-repo';

export type CatalogueTable = 'states' | 'priorities' | 'ticket_types' | 'services' | 'slas' | 'groups' | 'roles' | 'queues' | 'business_calendars';

/** A plain column shown and written under a camelCase property. */
export interface FieldSpec {
  prop: string;
  column: string;
  /** Schema of the property (input and output alike). */
  schema: JsonSchema;
  /** Must be given on create (otherwise the database default applies). */
  required?: boolean;
  /** A jsonb column (arrays and objects are stored as JSON). */
  json?: boolean;
  /** Further checks of a given value (beyond the schema): throw a BadRequest naming `path`. */
  check?: (db: Kysely<DB>, value: unknown, path: string) => Promise<void> | void;
}

/** A reference to another named table, given by id or by name and shown as both. */
export interface RefSpec {
  /** Input/output property of the id (`groupId`); omitted when the reference is by name only. */
  idProp?: string;
  /** Input/output property of the name (`group`). */
  nameProp: string;
  column: string;
  table: 'groups' | 'state_types';
  label: string;
  required: boolean;
}

/** Something that refers to rows of the table: while it does, the row cannot be deleted. */
export interface UsageSpec {
  table: 'tickets' | 'queues' | 'slas';
  column: string;
  /** Plural noun for the message: "tickets", "queues". */
  what: string;
}

export interface CatalogueSpec {
  table: CatalogueTable;
  /** Mount point below `/api/v1` (`/states`). */
  base: string;
  /** OpenAPI tag. */
  tag: string;
  /** Singular noun for messages (`state`). */
  label: string;
  /** Who may read: everyone logged in (customer users too), agents only, or administrators only. */
  readers: 'everyone' | 'agents' | 'admins';
  fields: FieldSpec[];
  refs?: RefSpec[];
  /** The table has `created_at`. */
  createdAt: boolean;
  /** Names use `::` parents (queues, services). */
  hierarchical?: boolean;
  usedBy?: UsageSpec[];
  /** Offer DELETE (still refused while used). */
  deletable: boolean;
  /** Rows the system depends on, by name, with the reason: never renamed, retired or deleted. */
  protectedNames?: Record<string, string>;
  /** Rows the caller may see (`'all'` for every row); others are 404. */
  visibleIds?: (access: Access) => Promise<number[] | 'all'>;
  /** Runs inside every write's transaction after the change (e.g. "you would lose admin rights"); `id`: the row written (absent after a delete). */
  afterWrite?: (trx: Kysely<DB>, access: Access, id?: number) => Promise<void>;
}

export type Values = Record<string, unknown>;

function protectedReason(spec: CatalogueSpec, row: CatalogueRow): string | undefined {
  return spec.protectedNames?.[row.name];
}

async function assertNameFree(db: Kysely<DB>, spec: CatalogueSpec, name: string, exceptId?: number): Promise<void> {
  const other = await catalogueRepo.byName(db, spec, name);
  if (other && other.id !== exceptId) throw new Conflict(`a ${spec.label} named "${name}" already exists`, '/name', 'DUPLICATE');
}

async function assertParentExists(db: Kysely<DB>, spec: CatalogueSpec, name: string): Promise<void> {
  checkHierarchicalName(name, spec.label);
  const parent = parentName(name);
  if (parent !== null && !(await catalogueRepo.byName(db, spec, parent))) {
    throw new BadRequest(`parent ${spec.label} "${parent}" of "${name}" does not exist; create it first`, '/name', undefined, 'PARENT_MISSING');
  }
}

/** Turns the body's properties into column values, resolving references by id or name. */
async function columnValues(db: Kysely<DB>, spec: CatalogueSpec, body: Values, creating: boolean): Promise<Values> {
  const values: Values = {};
  if (body.name !== undefined) values.name = body.name;
  if (body.valid !== undefined) values.valid = body.valid;
  for (const f of spec.fields) {
    if (body[f.prop] !== undefined) {
      await f.check?.(db, body[f.prop], `/${f.prop}`);
      values[f.column] = f.json && body[f.prop] !== null ? JSON.stringify(body[f.prop]) : body[f.prop];
    } else if (creating && f.required) throw new BadRequest(`${f.prop} is required`, `/${f.prop}`);
  }
  for (const r of spec.refs ?? []) {
    const id = r.idProp ? (body[r.idProp] as number | undefined) : undefined;
    const name = body[r.nameProp] as string | undefined;
    if (id === undefined && name === undefined) {
      if (creating && r.required) throw new BadRequest(`give the ${r.label} as ${r.idProp ? `${r.idProp} or ` : ''}${r.nameProp}`, `/${r.nameProp}`);
      continue;
    }
    const found = await catalogueRepo.refTarget(db, r.table, id !== undefined ? { id } : { name: name! });
    const path = id !== undefined ? `/${r.idProp}` : `/${r.nameProp}`;
    if (!found) throw new BadRequest(`unknown ${r.label} ${id !== undefined ? `id ${id}` : JSON.stringify(name)}`, path, undefined, 'UNKNOWN_REFERENCE');
    if (id !== undefined && name !== undefined && found.name !== name) {
      throw new BadRequest(`${r.label} id ${id} is not ${JSON.stringify(name)}`, `/${r.nameProp}`, undefined, 'REFERENCE_MISMATCH');
    }
    values[r.column] = found.id;
  }
  return values;
}

export const catalogueService = {
  /** Creates a row at `now`; returns its id. Run inside a transaction. */
  async create(trx: Kysely<DB>, spec: CatalogueSpec, body: Values, access: Access, now: Date): Promise<number> {
    const name = body.name as string;
    if (spec.hierarchical) await assertParentExists(trx, spec, name);
    await assertNameFree(trx, spec, name);
    const values = await columnValues(trx, spec, body, true);
    if (spec.createdAt) values.created_at = now;
    const id = await catalogueRepo.insert(trx, spec, values);
    await spec.afterWrite?.(trx, access, id);
    return id;
  },

  /** Applies a PATCH. Run inside a transaction. */
  async update(trx: Kysely<DB>, spec: CatalogueSpec, row: CatalogueRow, patch: Values, access: Access): Promise<void> {
    const reason = protectedReason(spec, row);
    const renaming = patch.name !== undefined && patch.name !== row.name;
    if (reason && renaming) throw new Conflict(`${spec.label} "${row.name}" cannot be renamed: ${reason}`, '/name', 'PROTECTED');
    if (reason && patch.valid === false) throw new Conflict(`${spec.label} "${row.name}" cannot be set invalid: ${reason}`, '/valid', 'PROTECTED');
    const values = await columnValues(trx, spec, patch, false);
    if (renaming) {
      const to = patch.name as string;
      if (spec.hierarchical) {
        if (isSameOrBelow(to, row.name)) throw new BadRequest(`${spec.label} "${row.name}" cannot move below itself`, '/name');
        await assertParentExists(trx, spec, to);
      }
      await assertNameFree(trx, spec, to, row.id);
      if (spec.hierarchical) {
        const below = await catalogueRepo.descendants(trx, spec, row.name);
        for (const d of below) await assertNameFree(trx, spec, renamedDescendant(d.name, row.name, to), d.id);
        for (const d of below) await catalogueRepo.update(trx, spec, d.id, { name: renamedDescendant(d.name, row.name, to) });
      }
    }
    if (Object.keys(values).length) await catalogueRepo.update(trx, spec, row.id, values);
    await spec.afterWrite?.(trx, access, row.id);
  },

  /** Deletes a row that nothing uses. Run inside a transaction. */
  async remove(trx: Kysely<DB>, spec: CatalogueSpec, row: CatalogueRow, access: Access): Promise<void> {
    const reason = protectedReason(spec, row);
    if (reason) throw new Conflict(`${spec.label} "${row.name}" cannot be deleted: ${reason}`, undefined, 'PROTECTED');
    for (const u of spec.usedBy ?? []) {
      const n = await catalogueRepo.usage(trx, u, row.id);
      if (n > 0) {
        throw new Conflict(`${spec.label} "${row.name}" is used by ${n} ${u.what}; set "valid": false to retire it instead`, undefined, 'IN_USE');
      }
    }
    if (spec.hierarchical) {
      const below = await catalogueRepo.descendants(trx, spec, row.name);
      if (below.length) {
        throw new Conflict(`${spec.label} "${row.name}" has ${below.length} sub-${spec.label}(s), e.g. "${below[0]!.name}"; delete or move them first`, undefined, 'IN_USE');
      }
    }
    await catalogueRepo.remove(trx, spec, row.id);
    await spec.afterWrite?.(trx, access);
  },
};
