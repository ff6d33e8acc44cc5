/**
 * `incident` / `incidentResolved` keep `process_incidents` in step with the tokens' incidents: an
 * incident opens a row (a token raising the same code again only updates the open row's message;
 * a token has one incident at a time, so an open row with another code is closed as `superseded`);
 * a resolution closes the token's open rows with how, by whom (the step's actor) and when.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { EffectHandler } from './types';

/**
 * The top-most ancestor of an instance (itself for a root instance), following `parent_instance_id`.
 *
 * @example
 * await rootInstanceOf(trx, { id: 7, parent_instance_id: 3 }); // 1 when 3's parent is 1
 */
export async function rootInstanceOf(db: Kysely<DB>, inst: { id: number; parent_instance_id: number | null }): Promise<number> {
  let id = inst.id;
  let parent = inst.parent_instance_id;
  const seen = new Set<number>([id]);
  while (parent !== null && !seen.has(parent)) {
    seen.add(parent);
    const row = await db.selectFrom('process_instances').select(['id', 'parent_instance_id']).where('id', '=', parent).executeTakeFirst();
    if (!row) break;
    id = row.id;
    parent = row.parent_instance_id;
  }
  return id;
}

export const incident: EffectHandler<'incident'> = async (ctx, e) => {
  const { trx, inst, now } = ctx;
  const open = await trx
    .selectFrom('process_incidents')
    .select(['id', 'code'])
    .where('instance_id', '=', inst.id)
    .where('token', '=', e.token)
    .where('resolved_at', 'is', null)
    .execute();
  const details = e.details === undefined ? null : JSON.stringify(e.details);
  const others = open.filter((r) => r.code !== e.code).map((r) => r.id);
  if (others.length) {
    await trx.updateTable('process_incidents').set({ resolved_at: now, resolved_how: 'superseded', resolved_by: ctx.opts.actor ?? 'system' }).where('id', 'in', others).execute();
  }
  const same = open.find((r) => r.code === e.code);
  if (same) {
    await trx.updateTable('process_incidents').set({ message: e.message, node: e.nodeId, details }).where('id', '=', same.id).execute();
    return;
  }
  await trx
    .insertInto('process_incidents')
    .values({
      instance_id: inst.id,
      root_instance_id: await rootInstanceOf(trx, inst),
      ticket_id: inst.ticket_id,
      process_key: inst.process_key,
      process_version: inst.process_version,
      token: e.token,
      node: e.nodeId,
      code: e.code,
      message: e.message,
      details,
      raised_at: now,
    })
    .execute();
};

export const incidentResolved: EffectHandler<'incidentResolved'> = async (ctx, e) => {
  await ctx.trx
    .updateTable('process_incidents')
    .set({ resolved_at: ctx.now, resolved_how: e.how, resolved_by: ctx.opts.actor ?? 'system' })
    .where('instance_id', '=', ctx.inst.id)
    .where('token', '=', e.token)
    .where('resolved_at', 'is', null)
    .execute();
};
