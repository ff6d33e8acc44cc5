/** The debugger's masking of secrets and its levels. */
import { describe, expect, it } from 'vitest';
import { kept, maskHeaders, maskSecrets } from './debug-log';

describe('debugger masking', () => {
  it('masks secrets wherever they are and shortens long strings', () => {
    const masked = maskSecrets({
      UserLogin: 'agent',
      Password: 'pw',
      Data: { SessionID: 'sid', Ticket: { Title: 'T' }, Items: [{ token: 't' }] },
      Attachment: { Content: 'x'.repeat(3000) },
      Empty: { Password: '' },
    }) as any;
    expect(masked).toMatchObject({ UserLogin: 'agent', Password: '***', Data: { SessionID: '***', Ticket: { Title: 'T' }, Items: [{ token: '***' }] }, Empty: { Password: '' } });
    expect(masked.Attachment.Content).toMatch(/^x{2000}… \(3000 characters\)$/);
    expect(maskHeaders(new Headers({ 'X-API-Key': 'k', Authorization: 'Bearer t', Cookie: 'c', 'User-Agent': 'curl' }))).toEqual({
      'x-api-key': '***',
      authorization: '***',
      cookie: '***',
      'user-agent': 'curl',
    });
  });

  it('keeps exchanges at the threshold or above', () => {
    expect(kept('debug', 'debug')).toBe(true);
    expect(kept('error', 'debug')).toBe(true);
    expect(kept('debug', 'error')).toBe(false);
    expect(kept('error', 'notice')).toBe(true);
  });
});
