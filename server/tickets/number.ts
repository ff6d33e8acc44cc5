/**
 * Ticket numbers as OTRS's DateChecksum generator makes them: `YYYYMMDD` + system id (the
 * configured prefix, default `10`) + a per-day counter padded to 5 digits + one check digit
 * (digits weighted 1, 2, 1, 2 … from the left; 10 minus the sum modulo 10, where 10 becomes 1).
 * The counter lives in `ticket_counters` and is taken with one atomic upsert, so numbers stay unique
 * across concurrent transactions and server processes.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** The check digit of a digit string (OTRS DateChecksum). */
export function checkDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (i % 2 === 0 ? 1 : 2) * Number(digits[i]);
  const d = 10 - (sum % 10);
  return d === 10 ? 1 : d;
}

/** `YYYYMMDD` of a moment, in UTC. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * @example
 * formatTicketNumber('20261121', '10', 1) // → '2026112110000015'
 */
export function formatTicketNumber(day: string, prefix: string, counter: number): string {
  if (!/^\d{1,10}$/.test(prefix)) throw new Error(`ticket number prefix must be 1 to 10 digits, got "${prefix}"`);
  const base = `${day}${prefix}${String(counter).padStart(5, '0')}`;
  return base + checkDigit(base);
}

/** Takes the next number of the day `at` falls on. Call it inside the creating transaction. */
export async function nextTicketNumber(db: Kysely<DB>, at: Date, prefix: string): Promise<string> {
  const day = dayOf(at);
  const { counter } = await db
    .insertInto('ticket_counters')
    .values({ day, counter: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ counter: sql<number>`ticket_counters.counter + 1` }))
    .returning('counter')
    .executeTakeFirstOrThrow();
  return formatTicketNumber(day, prefix, counter);
}
