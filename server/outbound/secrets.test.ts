import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, parseKey, SecretUnreadable } from './secrets';

describe('outbound secrets at rest', () => {
  const key = randomBytes(32);

  it('round-trips, with a fresh IV each time and nothing of the plain text visible', () => {
    const a = encryptSecret('t0ken-value', 'crm', key);
    const b = encryptSecret('t0ken-value', 'crm', key);
    expect(a).not.toBe(b);
    expect(a).not.toContain('t0ken');
    expect(decryptSecret(a, 'crm', key)).toBe('t0ken-value');
  });

  it('refuses another key, another service and a damaged value, saying which', () => {
    const s = encryptSecret('x', 'crm', key);
    expect(() => decryptSecret(s, 'crm', randomBytes(32))).toThrow(/another key/);
    expect(() => decryptSecret(s, 'erp', key)).toThrow(SecretUnreadable);
    const parts = s.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptSecret(parts.join('.'), 'crm', key)).toThrow(/does not decrypt/);
    expect(() => decryptSecret('garbage', 'crm', key)).toThrow(/damaged/);
  });

  it('reads keys as hex or base64 and refuses other lengths', () => {
    expect(parseKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseKey(key.toString('base64'))).toEqual(key);
    expect(parseKey(key.toString('base64url'))).toEqual(key);
    expect(() => parseKey('short')).toThrow(/32 bytes/);
  });
});
