/** `runScript` becomes a job (key `script:<instance>:<run>`, so a replayed step cannot run it twice). */
import type { EffectHandler } from './types';

export const runScript: EffectHandler<'runScript'> = (ctx, e) => {
  ctx.jobs.push({ kind: 'script', instance_id: ctx.inst.id, key: `script:${ctx.inst.id}:${e.run}`, payload: JSON.stringify({ ...e, ticketId: ctx.inst.ticket_id }), run_at: ctx.now, created_at: ctx.now });
};

/** `applyActions` ran inside the step already; the log says what was applied. */
export const applyActions: EffectHandler<'applyActions'> = (ctx, e) => {
  ctx.rows.push({ kind: 'actions', node: e.nodeId, transition: e.transition ?? null, message: `Applied ${e.actions.length} action(s): ${e.actions.map((a) => a.type).join(', ')}.`, data: e.actions, actor: ctx.opts.actor });
};
