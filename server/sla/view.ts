/**
 * The escalation part of a ticket's view: its deadlines (agents), or "we answer by" (customers, when
 * the SLA allows it), plus the JSON Schema of both. `escalated` compares with the caller's clock.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export interface Deadline {
  due: string | null;
  escalated: boolean;
}

export interface EscalationView {
  sla: { id: number; name: string } | null;
  firstResponse: Deadline & { metAt: string | null };
  update: Deadline;
  solution: Deadline & { solvedAt: string | null };
  /** The earliest running deadline. */
  escalationAt: string | null;
  escalated: boolean;
}

interface Row {
  escalation_sla_id: number | null;
  first_response_at: Date | null;
  first_response_due: Date | null;
  update_due: Date | null;
  solution_due: Date | null;
  solved_at: Date | null;
  escalation_at: Date | null;
}

const deadline = (due: Date | null, now: Date): Deadline => ({ due: due?.toISOString() ?? null, escalated: !!due && due <= now });

/** The agents' escalation view of a ticket row. */
export async function escalationView(db: Kysely<DB>, t: Row, now: Date): Promise<EscalationView> {
  const sla = t.escalation_sla_id === null ? null : ((await db.selectFrom('slas').select(['id', 'name']).where('id', '=', t.escalation_sla_id).executeTakeFirst()) ?? null);
  return {
    sla,
    firstResponse: { ...deadline(t.first_response_due, now), metAt: t.first_response_at?.toISOString() ?? null },
    update: deadline(t.update_due, now),
    solution: { ...deadline(t.solution_due, now), solvedAt: t.solved_at?.toISOString() ?? null },
    escalationAt: t.escalation_at?.toISOString() ?? null,
    escalated: !!t.escalation_at && t.escalation_at <= now,
  };
}

/** "We answer by": the first-response (else update) deadline, when the ticket's SLA lets the portal show it. */
export async function answerBy(db: Kysely<DB>, t: Row): Promise<string | null> {
  if (t.escalation_sla_id === null) return null;
  const due = t.first_response_due ?? t.update_due;
  if (!due) return null;
  const sla = await db.selectFrom('slas').select('portal_visible').where('id', '=', t.escalation_sla_id).executeTakeFirst();
  return sla?.portal_visible ? due.toISOString() : null;
}

const date = { type: ['string', 'null'], format: 'date-time' } as const;
const deadlineSchema = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  additionalProperties: false,
  required: ['due', 'escalated', ...Object.keys(extra)],
  properties: { due: date, escalated: { type: 'boolean' }, ...extra },
});

export const escalationViewSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  description: 'SLA deadlines (agents only; null for customer users). A deadline is null when its clock does not run (met, closed, pending for the update time, or no such time in the SLA).',
  required: ['sla', 'firstResponse', 'update', 'solution', 'escalationAt', 'escalated'],
  properties: {
    sla: { type: ['object', 'null'], additionalProperties: false, required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } }, description: "the SLA whose times run: the ticket's, else the one selected by conditions" },
    firstResponse: deadlineSchema({ metAt: date }),
    update: deadlineSchema(),
    solution: deadlineSchema({ solvedAt: date }),
    escalationAt: date,
    escalated: { type: 'boolean' },
  },
} as const;
