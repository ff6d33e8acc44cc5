/**
 * Turns the references a client gives for a ticket's fields (`queueId` or `queue`, `ownerId` or
 * `owner` …) into catalogue rows through the catalogue's resolver, naming the JSON path of an
 * unknown or retired one. `null` on a clearable reference means "clear it".
 */
import type { Kysely } from 'kysely';
import {
  resolveAgent,
  resolveCustomerUser,
  resolvePriority,
  resolveQueue,
  resolveService,
  resolveSla,
  resolveState,
  resolveType,
  type AgentRow,
  type CustomerUserRow,
  type PriorityRow,
  type QueueRow,
  type Ref,
  type ServiceRow,
  type SlaRow,
  type StateRow,
  type TicketTypeRow,
} from '../catalog/resolve';
import type { DB } from '../db/schema';
import type { TicketFieldsInput } from './schema';

/** The fields of a create or change, resolved; absent keys are not being set. */
export interface ResolvedFields {
  queue?: QueueRow;
  state?: StateRow;
  priority?: PriorityRow;
  type?: TicketTypeRow;
  service?: ServiceRow | null;
  sla?: SlaRow | null;
  owner?: AgentRow;
  responsible?: AgentRow | null;
  customerUser?: CustomerUserRow | null;
  customerId?: string | null;
  pendingUntil?: Date | null;
}

type RefKey = 'queue' | 'state' | 'priority' | 'type' | 'service' | 'sla' | 'owner' | 'responsible' | 'customerUser';

/** `{id, name}` when the input names the reference, `null` when it clears it, else undefined. */
export function refOf(input: Record<string, unknown>, key: string): Ref | null | undefined {
  const name = input[key];
  const id = input[`${key}Id`];
  if (name === undefined && id === undefined) return undefined;
  if ((name === null || name === undefined) && (id === null || id === undefined)) return null;
  return { id: (id as number | null | undefined) ?? null, name: (name as string | null | undefined) ?? null };
}

type Resolver<T> = (db: Kysely<DB>, ref: Ref, path: { id: string; name: string }, opts: { requireValid: boolean }) => Promise<T>;

const RESOLVERS: Record<RefKey, Resolver<unknown>> = {
  queue: resolveQueue,
  state: resolveState,
  priority: resolvePriority,
  type: resolveType,
  service: resolveService,
  sla: resolveSla,
  owner: resolveAgent,
  responsible: resolveAgent,
  customerUser: resolveCustomerUser,
};

const NOT_CLEARABLE = new Set<RefKey>(['queue', 'state', 'priority', 'type', 'owner']);

/**
 * Resolves every reference the input carries. New assignments must be valid (not retired).
 * `prefix` is prepended to paths (`/set` for bulk changes).
 */
export async function resolveFields(db: Kysely<DB>, input: TicketFieldsInput, prefix = ''): Promise<ResolvedFields> {
  const out: Record<string, unknown> = {};
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(RESOLVERS) as RefKey[]) {
    const ref = refOf(raw, key);
    if (ref === undefined) continue;
    const path = { id: `${prefix}/${key}Id`, name: `${prefix}/${key}` };
    if (ref === null) {
      if (NOT_CLEARABLE.has(key)) continue; // the schema already refuses null there
      out[key] = null;
      continue;
    }
    out[key] = await RESOLVERS[key](db, ref, path, { requireValid: true });
  }
  if (input.customerId !== undefined) out.customerId = input.customerId;
  if (input.pendingUntil !== undefined) out.pendingUntil = input.pendingUntil === null ? null : new Date(input.pendingUntil);
  return out as ResolvedFields;
}

/** Whether a state type is one of the pending ones (which need a pending time). */
export function isPendingType(stateType: string): boolean {
  return stateType === 'pending reminder' || stateType === 'pending auto';
}

/** "First Last" of an agent or customer user row. */
export function fullName(r: { first_name: string; last_name: string }): string {
  return `${r.first_name} ${r.last_name}`.trim();
}
