/**
 * Statistics on the agent dashboard: an agent places any statistic they may run as a widget
 * (chart or table); the dashboard runs each widget's statistic as that agent.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Access } from '../access/access';
import { DomainError } from '../errors';
import { getStat, runDefinition } from './service';
import type { Chart, StatResult } from './schema';

export interface WidgetView {
  statId: number;
  name: string;
  chart: Chart;
  position: number;
  result: StatResult | null;
  /** Why the statistic could not run for this agent (e.g. it became system-wide). */
  error: string | null;
}

/** Places (or re-charts) statistic `statId` on the caller's dashboard. */
export async function putWidget(db: Kysely<DB>, access: Access, statId: number, chart: Chart): Promise<void> {
  await getStat(db, access, statId);
  const agentId = access.requireAgent().id;
  const last = await db.selectFrom('stat_dashboard_widgets').select((eb) => eb.fn.max('position').as('p')).where('agent_id', '=', agentId).executeTakeFirst();
  await db
    .insertInto('stat_dashboard_widgets')
    .values({ agent_id: agentId, stat_id: statId, chart, position: Number(last?.p ?? 0) + 1 })
    .onConflict((oc) => oc.columns(['agent_id', 'stat_id']).doUpdateSet({ chart }))
    .execute();
}

export async function removeWidget(db: Kysely<DB>, access: Access, statId: number): Promise<void> {
  await db.deleteFrom('stat_dashboard_widgets').where('agent_id', '=', access.requireAgent().id).where('stat_id', '=', statId).execute();
}

/** The caller's statistic widgets, each with its statistic's result (list previews: 20 rows). */
export async function listWidgets(db: Kysely<DB>, access: Access, now: Date): Promise<WidgetView[]> {
  const rows = await db
    .selectFrom('stat_dashboard_widgets as w')
    .innerJoin('stat_definitions as s', 's.id', 'w.stat_id')
    .select(['w.stat_id', 'w.chart', 'w.position', 's.name', 's.definition'])
    .where('w.agent_id', '=', access.requireAgent().id)
    .orderBy('w.position')
    .execute();
  const out: WidgetView[] = [];
  for (const r of rows) {
    let result: StatResult | null = null;
    let error: string | null = null;
    try {
      result = await runDefinition(db, access, r.definition as never, undefined, now, { preview: true, limit: 20 });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      error = e.message;
    }
    out.push({ statId: r.stat_id, name: r.name, chart: r.chart as Chart, position: r.position, result, error });
  }
  return out;
}
