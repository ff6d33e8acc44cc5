import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, newSecret, secretHash, verifyPassword } from './secrets';

describe('password hashing', () => {
  it('verifies the right password and rejects others', async () => {
    const h = await hashPassword('correct horse');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('correct hors', h)).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('x')).not.toBe(await hashPassword('x'));
  });

  it('never matches a malformed stored hash', async () => {
    for (const bad of ['', 'plain', 'scrypt$1$2$3', 'bcrypt$a$b$c$d$e']) expect(await verifyPassword('x', bad)).toBe(false);
  });
});

describe('secrets', () => {
  it('are random, URL-safe and stored as sha256', () => {
    const a = newSecret(32, 'hd_');
    expect(a).toMatch(/^hd_[\w-]{43}$/);
    expect(newSecret()).not.toBe(newSecret());
    expect(secretHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('generates readable admin passwords', () => {
    expect(generatePassword()).toMatch(/^[a-zA-Z2-9]{20}$/);
  });
});
