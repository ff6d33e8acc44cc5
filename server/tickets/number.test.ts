/** Ticket number format and OTRS DateChecksum check digit. */
import { describe, expect, it } from 'vitest';
import { checkDigit, dayOf, formatTicketNumber } from './number';

describe('ticket numbers', () => {
  it('computes the OTRS DateChecksum digit', () => {
    // 2+0+2+12+1+2+2+2+1+0+0+0+0+0+1 = 25 → 10 - 5 = 5
    expect(checkDigit('202611211000001')).toBe(5);
    // a sum that is a multiple of ten gives 1, not 10
    expect(checkDigit('0')).toBe(1);
    expect(checkDigit('19')).toBe(1); // 1 + 18 = 19 → 10 - 9 = 1
    expect(checkDigit('55')).toBe(5); // 5 + 10 = 15 → 5
  });

  it('formats date, system id, padded counter and check digit', () => {
    expect(formatTicketNumber('20261121', '10', 1)).toBe('2026112110000015');
    expect(formatTicketNumber('20261121', '10', 123456)).toMatch(/^2026112110123456\d$/);
    expect(formatTicketNumber('20261121', '7', 42)).toMatch(/^20261121700042\d$/);
    expect(() => formatTicketNumber('20261121', 'ab', 1)).toThrow(/prefix/);
  });

  it('takes the day in UTC', () => {
    expect(dayOf(new Date('2026-11-21T23:59:59Z'))).toBe('20261121');
    expect(dayOf(new Date('2026-11-22T00:00:00+01:00'))).toBe('20261121');
  });
});
