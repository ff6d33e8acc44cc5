/**
 * Step 5, follow-up check: is this mail about a ticket we have? The checks run in this order and
 * the first that finds a ticket wins (Znuny's PostMaster::FollowUpCheck modules).
 */
import type { MailContext, MailStep, StepEnv } from '../../types';
import { bodyCheck } from './body';
import { referencesCheck } from './references';
import { subjectCheck } from './subject';

export interface FollowUpCheck {
  by: 'subject' | 'references' | 'body';
  find(ctx: MailContext, env: StepEnv): Promise<{ ticketId: number; tn: string } | undefined>;
}

/** The order of the checks. */
export const FOLLOW_UP_CHECKS: FollowUpCheck[] = [subjectCheck, referencesCheck, bodyCheck];

export const followUpCheck: MailStep = {
  name: 'follow-up-check',
  async run(ctx, env) {
    for (const check of FOLLOW_UP_CHECKS) {
      const hit = await check.find(ctx, env);
      if (hit) {
        ctx.followUp = { ...hit, by: check.by };
        ctx.decision = 'follow-up';
        return;
      }
    }
  },
};
