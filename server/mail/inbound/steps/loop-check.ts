/**
 * Step 3, loop and bulk protection (Zammad's auto_response_check, Znuny's LoopProtection): a mail
 * marked `Auto-Submitted` (other than `no`), `Precedence: bulk|list|junk`, `X-Loop`,
 * `X-Auto-Response-Suppress` (All, AutoReply, OOF), without a sender, or from one of our own system
 * addresses gets no auto response. A sender who already opened `MAIL_MAX_PER_SENDER` tickets within
 * `MAIL_SENDER_WINDOW_HOURS` is over the limit: the mail opens no further ticket (follow-up-option.ts).
 */
import { sql } from 'kysely';
import type { MailStep, ParsedMail } from '../types';
import { isSystemAddress } from '../dispatch';

/** Why a mail must not be answered automatically, judged by its headers alone. */
export function suppressionReasons(p: Pick<ParsedMail, 'headers' | 'from'>): string[] {
  const h = (name: string) => (p.headers[name] ?? []).map((v) => v.trim().toLowerCase());
  const out: string[] = [];
  const auto = h('auto-submitted').find((v) => v && !v.startsWith('no'));
  if (auto) out.push(`Auto-Submitted: ${auto}`);
  const prec = h('precedence').find((v) => /^(bulk|list|junk)\b/.test(v));
  if (prec) out.push(`Precedence: ${prec}`);
  if (h('x-loop').length) out.push('X-Loop');
  const sup = h('x-auto-response-suppress').find((v) => /\b(all|autoreply|oof)\b/.test(v));
  if (sup) out.push(`X-Auto-Response-Suppress: ${sup}`);
  if (h('list-id').length) out.push('List-Id');
  if (!p.from) out.push('no sender');
  else if (/^(mailer-daemon|postmaster|no-?reply)@/i.test(p.from.address)) out.push(`sender ${p.from.address}`);
  return out;
}

export const loopCheck: MailStep = {
  name: 'loop-check',
  async run(ctx, { db, inbound, now }) {
    ctx.suppress.push(...suppressionReasons(ctx.parsed));
    if (ctx.sender.address && (await isSystemAddress(db, inbound, ctx.sender.address))) ctx.suppress.push('sent from our own system address');
    if (!ctx.sender.address || inbound.maxPerSender === 0) return;
    const since = new Date(now.getTime() - inbound.senderWindowHours * 3600_000);
    const r = await db
      .selectFrom('mail_received')
      .select(sql<string>`count(*)`.as('n'))
      .where('from_addr', '=', ctx.sender.address)
      .where('outcome', '=', 'new-ticket')
      .where('received_at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(r.n) >= inbound.maxPerSender) {
      ctx.overSenderLimit = true;
      ctx.suppress.push(`more than ${inbound.maxPerSender} mails from ${ctx.sender.address} within ${inbound.senderWindowHours} h`);
    }
  },
};
