/**
 * Step 4, postmaster filters (admin-managed, `/api/v1/mail/filters`): each filter has match rules
 * (a header name, or `Body`, and a regular expression, optionally negated; all rules must hold) and
 * actions (queue, priority, state, owner, dynamic fields, ignore, internal). Filters run in name
 * order; a matching filter with `stop` ends the evaluation. Every regular expression runs under a
 * deadline (`MAIL_FILTER_TIMEOUT_MS`, default 100 ms) in a `vm` context, so a catastrophic pattern
 * cannot hang the server: it counts as "no match" and the mail goes on.
 */
import vm from 'node:vm';
import type { FilterResult, MailStep, ParsedMail } from '../types';

export interface FilterMatch {
  /** A header name (`Subject`, `From`, `X-Spam-Flag` …) or `Body`. */
  field: string;
  regex: string;
  negate?: boolean;
}

export interface FilterActions {
  queue?: string;
  priority?: string;
  state?: string;
  owner?: string;
  dynamicFields?: Record<string, unknown>;
  ignore?: boolean;
  internal?: boolean;
}

export interface PostmasterFilter {
  name: string;
  matches: FilterMatch[];
  actions: FilterActions;
  stop: boolean;
}

const BODY_LIMIT = 100_000;
const sandbox = vm.createContext({ re: /x/, s: '' });
const test = new vm.Script('re.test(s)');

/** Whether `re` matches `s` within `timeoutMs`; a pattern that runs over is reported as `'timeout'`. */
export function boundedTest(re: RegExp, s: string, timeoutMs: number): boolean | 'timeout' {
  sandbox.re = re;
  sandbox.s = s;
  try {
    return test.runInContext(sandbox, { timeout: Math.max(1, timeoutMs) }) === true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw e;
  } finally {
    sandbox.s = '';
  }
}

function fieldText(p: ParsedMail, field: string): string {
  const f = field.toLowerCase();
  if (f === 'body') return p.text.slice(0, BODY_LIMIT);
  return (p.headers[f] ?? []).join('\n');
}

/** Runs `filters` (already in name order) over `p`; resolves what they set. `warn` hears of patterns that ran over. */
export function applyFilters(p: ParsedMail, filters: PostmasterFilter[], timeoutMs: number, warn: (m: string) => void = () => undefined): FilterResult {
  const out: FilterResult = { matched: [] };
  for (const f of filters) {
    let all = f.matches.length > 0;
    for (const m of f.matches) {
      let re: RegExp;
      try {
        re = new RegExp(m.regex, 'i');
      } catch {
        all = false;
        break;
      }
      const r = boundedTest(re, fieldText(p, m.field), timeoutMs);
      if (r === 'timeout') {
        warn(`postmaster filter "${f.name}": the pattern for ${m.field} ran longer than ${timeoutMs} ms and counts as no match`);
        all = false;
        break;
      }
      if (r === !!m.negate) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    out.matched.push(f.name);
    const { dynamicFields, ...rest } = f.actions;
    Object.assign(out, rest);
    if (dynamicFields) out.dynamicFields = { ...out.dynamicFields, ...dynamicFields };
    if (f.stop) break;
  }
  return out;
}

export const postmasterFilters: MailStep = {
  name: 'postmaster-filters',
  async run(ctx, { db, inbound }) {
    const rows = await db.selectFrom('postmaster_filters').select(['name', 'matches', 'actions', 'stop']).where('valid', '=', true).orderBy('name').execute();
    const filters = rows.map((r) => ({ name: r.name, matches: r.matches as FilterMatch[], actions: r.actions as FilterActions, stop: r.stop }));
    ctx.filter = applyFilters(ctx.parsed, filters, inbound.filterTimeoutMs, (m) => ctx.parsed.warnings.push(m));
    if (ctx.filter.ignore) {
      ctx.decision = 'ignore';
      return 'stop';
    }
  },
};
