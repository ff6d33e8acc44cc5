/** Checking a password against the portal's rules (each a JS RegExp source it must match). */
import type { PasswordRule } from './settings.svelte';

const compiled = new Map<string, RegExp | null>();

function regex(pattern: string): RegExp | null {
  if (!compiled.has(pattern)) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(pattern); // no flags, as the server checks them
    } catch {
      re = null;
    }
    compiled.set(pattern, re);
  }
  return compiled.get(pattern) ?? null;
}

/**
 * Each rule with whether `password` meets it. A pattern the browser cannot compile counts as met
 * here (the server still checks it), so the list never blocks on a rule it cannot judge.
 */
export function checkRules(rules: PasswordRule[], password: string): (PasswordRule & { met: boolean })[] {
  return rules.map((rule) => ({ ...rule, met: regex(rule.pattern)?.test(password) ?? true }));
}
