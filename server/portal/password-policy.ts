/**
 * The password rules of the customer portal (and of every password change): one list, served to
 * the browser as regular-expression sources (`GET /portal/settings`) so the form ticks them off
 * while the user types, and checked here with the same patterns.
 *
 * @example
 * checkPassword('short', '/password'); // throws 400 PASSWORD_RULES: "at least 10 characters; ..."
 */
import { BadRequest } from '../errors';

export interface PasswordRule {
  id: string;
  /** What the rule asks, as the form shows it. */
  text: string;
  /** A JavaScript RegExp source (no flags) the password must match. */
  pattern: string;
}

const LETTER = 'A-Za-zÀ-ÖØ-öø-ÿ';

export const PASSWORD_RULES: readonly PasswordRule[] = [
  { id: 'length', text: 'at least 10 characters', pattern: '^[\\s\\S]{10,}$' },
  { id: 'letter', text: 'a letter', pattern: `[${LETTER}]` },
  { id: 'digit', text: 'a digit or a symbol', pattern: `[^${LETTER}\\s]` },
];

/** The rules `password` does not meet (empty when it is good). */
export function unmetRules(password: string): PasswordRule[] {
  return PASSWORD_RULES.filter((r) => !new RegExp(r.pattern).test(password));
}

/** Throws 400 `PASSWORD_RULES` at `path`, naming every unmet rule. */
export function checkPassword(password: string, path: string): void {
  const unmet = unmetRules(password);
  if (unmet.length) throw new BadRequest(`the password needs ${unmet.map((r) => r.text).join(', ')}`, path, { unmet: unmet.map((r) => r.id) }, 'PASSWORD_RULES');
}
