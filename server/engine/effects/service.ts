/**
 * `callService` (a service task) becomes a `service` job (key `service:<instance>:<run>`, so a
 * replayed step cannot call twice) with `retries + 1` attempts: the task's retries, else the
 * service's default, else 3. The job calls the web service outside the step (`job-kinds/service.ts`).
 */
import type { EffectHandler } from './types';

export const callService: EffectHandler<'callService'> = async (ctx, e) => {
  const svc = await ctx.trx.selectFrom('outbound_services').select('retries').where('name', '=', e.webservice).executeTakeFirst();
  const retries = e.retries ?? svc?.retries ?? 3;
  ctx.jobs.push({
    kind: 'service',
    instance_id: ctx.inst.id,
    key: `service:${ctx.inst.id}:${e.run}`,
    payload: JSON.stringify({ mode: 'task', ...e, ticketId: ctx.inst.ticket_id, instanceId: ctx.inst.id }),
    max_attempts: retries + 1,
    run_at: ctx.now,
    created_at: ctx.now,
  });
};
