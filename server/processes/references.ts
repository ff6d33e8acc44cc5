/**
 * Checks the names a process uses (queues, states, dynamic fields, roles, called processes ...)
 * against this installation, and creates the missing ones when the admin asks for it
 * (`createMissing`). "Prerequisite: all referenced queues, roles and dynamic fields must exist in the
 * target environment": a deploy refuses a process that names something missing, and says which and
 * where.
 */
import type { Kysely } from 'kysely';
import type { Reference } from '../../engine/index';
import type { Access } from '../access/access';
import { catalogueService } from '../catalog/table';
import type { CatalogueSpec } from '../catalog/table';
import { findMissing, dynamicFieldName, type RefKind } from '../catalog/resolve';
import { parentName } from '../catalog/hierarchy';
import { prioritySpec, serviceSpec, slaSpec, stateSpec, typeSpec } from '../catalog/definitions';
import { roleSpec } from '../groups/routes';
import { queueSpec } from '../queues/routes';
import { fieldRepo } from '../dynamic-fields/repo';
import type { DB } from '../db/schema';
import { missingWebservice } from '../outbound/references';

export interface MissingReference {
  kind: Reference['kind'];
  name: string;
  /** JSON pointers of every use in the process. */
  paths: string[];
  /**
   * Whether `createMissing` can make it. Agents are created disabled, without a password, for an
   * admin to complete; scripts, web services (or an operation they lack) and called processes cannot be made up.
   */
  creatable: boolean;
}

export interface ReferenceReport {
  missing: MissingReference[];
  /** Kinds this installation cannot check yet (their domain is not built): named, not failed. */
  unchecked: Array<{ kind: Reference['kind']; name: string; paths: string[] }>;
}

/** Catalogue kinds `findMissing` can check, and how to create each. */
const CATALOGUE: Partial<Record<Reference['kind'], { kind: RefKind; spec?: CatalogueSpec }>> = {
  queue: { kind: 'queue', spec: queueSpec },
  state: { kind: 'state', spec: stateSpec },
  priority: { kind: 'priority', spec: prioritySpec },
  type: { kind: 'type', spec: typeSpec },
  service: { kind: 'service', spec: serviceSpec },
  sla: { kind: 'sla', spec: slaSpec },
  role: { kind: 'role', spec: roleSpec },
  agent: { kind: 'agent' },
  dynamicField: { kind: 'dynamicField' },
};

/**
 * Lists every reference that does not exist here.
 *
 * @example
 * const { missing } = await checkReferences(db, collectReferences(process));
 * // [{ kind: 'queue', name: 'HR', paths: ['/nodes/3/assign/queue'], creatable: true }]
 */
export async function checkReferences(db: Kysely<DB>, refs: Reference[], selfKey?: string): Promise<ReferenceReport> {
  const byKind = new Map<RefKind, Reference[]>();
  const unchecked: ReferenceReport['unchecked'] = [];
  const processRefs: Reference[] = [];
  for (const r of refs) {
    const c = CATALOGUE[r.kind];
    if (c) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), r]);
    else if (r.kind === 'process' || r.kind === 'script' || r.kind === 'webservice' || r.kind === 'calendar') processRefs.push(r);
    else unchecked.push({ kind: r.kind, name: r.name, paths: r.paths });
  }
  const names = Object.fromEntries([...byKind].map(([k, rs]) => [k, rs.map((r) => r.name)]));
  const missingNames = await findMissing(db, names);
  const missing: MissingReference[] = [];
  for (const [kind, rs] of byKind) {
    const gone = new Set(missingNames[kind] ?? []);
    for (const r of rs) if (gone.has(r.name)) missing.push({ kind: r.kind, name: r.name, paths: r.paths, creatable: true });
  }
  for (const r of processRefs) {
    if (r.kind === 'process' && r.name === selfKey) continue;
    if (r.kind === 'webservice') {
      const gone = await missingWebservice(db, r);
      if (gone) missing.push({ kind: r.kind, name: gone, paths: r.paths, creatable: false });
      continue;
    }
    if (r.kind === 'calendar') {
      const cal = await db.selectFrom('business_calendars').select('id').where('name', '=', r.name).where('valid', '=', true).executeTakeFirst();
      if (!cal) missing.push({ kind: r.kind, name: r.name, paths: r.paths, creatable: false });
      continue;
    }
    const found =
      r.kind === 'process'
        ? await db.selectFrom('processes').select('key').where('key', '=', r.name).executeTakeFirst()
        : typeof r.version === 'number'
          ? await db.selectFrom('script_versions').select('name').where('name', '=', r.name).where('version', '=', r.version).executeTakeFirst()
          : await db.selectFrom('scripts').select('name').where('name', '=', r.name).executeTakeFirst();
    if (!found) missing.push({ kind: r.kind, name: typeof r.version === 'number' ? `${r.name} (version ${r.version})` : r.name, paths: r.paths, creatable: false });
  }
  return { missing, unchecked };
}

/** A readable line per missing reference: `missing queue "HR" (used at /nodes/3/assign/queue)`. */
export function describeMissing(m: MissingReference): string {
  const where = m.paths.slice(0, 3).join(', ') + (m.paths.length > 3 ? `, and ${m.paths.length - 3} more` : '');
  const hint = m.kind === 'webservice' ? ' (define it at /api/v1/outbound-services)' : m.kind === 'calendar' ? ' (define it at /admin/business-calendars)' : '';
  return `missing ${m.kind} "${m.name}" (used at ${where})${m.creatable ? '' : `; it cannot be created automatically${hint}`}`;
}

function guessStateType(name: string): string {
  const n = name.toLowerCase();
  if (n.startsWith('closed')) return 'closed';
  if (n.startsWith('pending auto')) return 'pending auto';
  if (n.startsWith('pending')) return 'pending reminder';
  if (n === 'new') return 'new';
  return 'open';
}

/**
 * Creates every creatable missing reference inside `trx`: queues in group `users` (parents first),
 * states with a state type guessed from the name (`closed ...` → closed, `pending ...` → pending),
 * priorities, types, services, SLAs, roles without permissions, text dynamic fields on tickets, and
 * agents as disabled accounts without a password (an admin sets one and enables them).
 * Returns what it created.
 */
export async function createMissing(trx: Kysely<DB>, missing: MissingReference[], access: Access, now: Date): Promise<MissingReference[]> {
  const created: MissingReference[] = [];
  const done = new Set<string>();
  const create = async (kind: Reference['kind'], name: string) => {
    const id = `${kind}:${name}`;
    if (done.has(id)) return;
    done.add(id);
    if (kind === 'agent') {
      // A disabled placeholder: it cannot log in (no usable password) until an admin completes it.
      await trx
        .insertInto('agents')
        .values({ login: name, first_name: name, last_name: '(imported, disabled)', email: '', password_hash: '!', valid: false, created_at: now, changed_at: now })
        .execute();
      return;
    }
    if (kind === 'dynamicField') {
      const field = dynamicFieldName(name);
      await fieldRepo.insert(trx, {
        name: field, label: field, field_type: 'text', object_type: 'ticket', config: '{}',
        internal: false, field_order: 0, valid: true, created_at: now, changed_at: now,
      });
      return;
    }
    const spec = CATALOGUE[kind]?.spec;
    if (!spec) return;
    if (spec.hierarchical) {
      const parent = parentName(name);
      if (parent !== null && (await findMissing(trx, { [CATALOGUE[kind]!.kind]: [parent] }))[CATALOGUE[kind]!.kind]) await create(kind, parent);
    }
    const body: Record<string, unknown> = { name };
    if (kind === 'queue') body.group = 'users';
    if (kind === 'state') body.stateType = guessStateType(name);
    await catalogueService.create(trx, spec, body, access, now);
  };
  // Parents sort before children, so `A` exists before `A::B`.
  for (const m of [...missing].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!m.creatable) continue;
    await create(m.kind, m.name);
    created.push(m);
  }
  return created;
}
