/**
 * OTOBO transition conditions → process/1 conditions. `Condition` is a numbered map of groups, each
 * with `Type` and|or|xor and `Fields` ({Type: String|Regexp|Module, Match}); `ConditionLinking`
 * combines the groups. and → all, or → any, xor → one, String → eq, Regexp → regex. A Module check
 * (or a field named by database id) makes the whole condition `unsupported`, kept verbatim.
 */
import type { Comparison, ComparisonGroup, Condition, StructuredCondition } from '../model/conditions';
import { catalogueName } from './catalogue-ids';
import { isRecord, numbered, str } from './values';

const COMBINATOR: Record<string, 'all' | 'any' | 'one'> = { and: 'all', or: 'any', xor: 'one' };

const ID_FIELDS = /^(Queue|State|Priority|Type|Owner|Responsible|Lock|Service|SLA|Ticket)ID$/;

export interface ConvertedCondition {
  condition?: Condition;
  warnings: string[];
}

function unsupported(reason: string, original: unknown, module?: string): Condition {
  return { unsupported: { source: 'otobo', ...(module ? { module } : {}), reason, original } };
}

/**
 * Converts a transition's `Config` (with `Condition` and `ConditionLinking`).
 *
 * @example
 * convertCondition({ Condition: { 1: { Type: 'and', Fields: { Queue: { Type: 'String', Match: 'Raw' } } } }, ConditionLinking: 'and' });
 * // { condition: { all: [{ all: [{ field: 'Queue', op: 'eq', value: 'Raw' }] }] }, warnings: [] }
 */
export function convertCondition(config: unknown, transitionName = 'the transition'): ConvertedCondition {
  const warnings: string[] = [];
  const cfg = isRecord(config) ? config : {};
  const groups = numbered(cfg.Condition);
  const outer: ComparisonGroup[] = [];
  for (const group of groups) {
    if (!isRecord(group) || !isRecord(group.Fields)) continue;
    const items: Comparison[] = [];
    for (const [name, check] of Object.entries(group.Fields)) {
      const c = isRecord(check) ? check : { Type: 'String', Match: check };
      const type = str(c.Type) || 'String';
      const match = str(c.Match);
      if (type === 'Module') return { condition: unsupported(`runs the OTOBO module "${match}" on ${name}`, config, match), warnings };
      if (type !== 'String' && type !== 'Regexp') return { condition: unsupported(`uses the check type "${type}" on ${name}, which is not supported`, config), warnings };
      if (ID_FIELDS.test(name)) {
        const byName = type === 'String' ? catalogueName(name, match) : undefined;
        if (!byName) return { condition: unsupported(`tests ${name} ${match}, a database id with no portable meaning (test the name instead)`, config), warnings };
        warnings.push(`${transitionName} tests ${name} ${match}; it now tests ${byName.field} "${byName.name}", the entry OTOBO ships with that id.`);
        items.push({ field: byName.field, op: 'eq', value: byName.name });
        continue;
      }
      const field = name === 'CustomerUserID' ? 'CustomerUser' : name;
      items.push({ field, op: type === 'Regexp' ? 'regex' : 'eq', value: match });
    }
    if (!items.length) {
      warnings.push(`A condition group of ${transitionName} has no fields and was dropped.`);
      continue;
    }
    const key = COMBINATOR[str(group.Type).toLowerCase()] ?? 'all';
    outer.push({ [key]: items } as ComparisonGroup);
  }
  if (!outer.length) {
    warnings.push(`${transitionName} has no condition, so it is always taken.`);
    return { warnings };
  }
  const linking = COMBINATOR[str(cfg.ConditionLinking).toLowerCase()] ?? 'all';
  return { condition: { [linking]: outer } as StructuredCondition, warnings };
}
