/**
 * Secrets of outbound services at rest: AES-256-GCM with a random 96-bit IV per value, the service
 * name as additional data (a ciphertext copied to another service does not decrypt), stored as
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url; the key id is the first 8 hex digits of the
 * key's SHA-256, so a changed key is reported as such instead of as garbage).
 *
 * The key: `SECRETS_KEY` (32 bytes, as 64 hex digits or base64, e.g. `openssl rand -base64 32`).
 * Without it, an embedded-database (PGlite) install generates one on first use and keeps it in
 * `DATA_DIR/secrets.key` (mode 0600, beside the database: it keeps secrets out of database dumps,
 * not away from someone who can read the data folder). A PostgreSQL install without `SECRETS_KEY`
 * refuses to store secrets (409 `SECRETS_KEY_MISSING`): several processes on several machines must
 * share one key, which only the environment can give them.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Conflict } from '../errors';
import type { Services } from '../services';

/** The secrets key could not be found or read; `message` says what to set. */
export class SecretsKeyMissing extends Conflict {
  constructor(message: string) {
    super(message, '/auth/secret', 'SECRETS_KEY_MISSING');
  }
}

/** A stored secret could not be decrypted (another key, or a damaged value). */
export class SecretUnreadable extends Error {}

/**
 * Reads a 32-byte key written as 64 hex digits or base64/base64url.
 *
 * @example
 * parseKey('00'.repeat(32)).length; // 32
 */
export function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : undefined;
  if (!key || key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes written as 64 hex digits or base64 (e.g. the output of `openssl rand -base64 32`)');
  return key;
}

const cache = new Map<string, Buffer>();

/**
 * The key of this server (see the module comment); throws `SecretsKeyMissing` when there is none.
 *
 * @example
 * const key = secretsKey(services);
 */
export function secretsKey(services: Pick<Services, 'config' | 'database'>, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.SECRETS_KEY) return parseKey(env.SECRETS_KEY);
  if (services.database.kind !== 'pglite') {
    throw new SecretsKeyMissing('secrets cannot be stored: set SECRETS_KEY (32 bytes, e.g. `openssl rand -base64 32`) to the same value on every server process');
  }
  const file = path.join(services.config.dataDir, 'secrets.key');
  const cached = cache.get(file);
  if (cached) return cached;
  let key: Buffer;
  try {
    key = parseKey(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new SecretsKeyMissing(`the secrets key in ${file} cannot be read (${(e as Error).message}); set SECRETS_KEY`);
    key = randomBytes(32);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      key = parseKey(fs.readFileSync(file, 'utf8'));
    }
  }
  cache.set(file, key);
  return key;
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * Encrypts `plain` for the service `name`.
 *
 * @example
 * const stored = encryptSecret('t0ken', 'crm', key); // 'v1.1a2b3c4d.…'
 */
export function encryptSecret(plain: string, name: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`outbound:${name}`));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', keyId(key), iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/**
 * Decrypts what `encryptSecret` stored; throws `SecretUnreadable` with a reason.
 *
 * @example
 * decryptSecret(encryptSecret('t0ken', 'crm', key), 'crm', key); // 't0ken'
 */
export function decryptSecret(stored: string, name: string, key: Buffer): string {
  const [v, kid, iv, tag, ct, extra] = stored.split('.');
  if (v !== 'v1' || !kid || !iv || !tag || ct === undefined || extra !== undefined) throw new SecretUnreadable(`the stored secret of "${name}" is damaged; enter it again`);
  if (kid !== keyId(key)) throw new SecretUnreadable(`the secret of "${name}" was encrypted with another key (did SECRETS_KEY change?); enter it again`);
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(`outbound:${name}`));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadable(`the stored secret of "${name}" does not decrypt; enter it again`);
  }
}
