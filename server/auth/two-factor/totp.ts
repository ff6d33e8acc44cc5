/**
 * TOTP (RFC 6238) with `otpauth`: 6 digits, 30-second steps, SHA-1 (what every authenticator app
 * reads), a code of the step before or after the current one accepted for clock drift. `checkTotp`
 * answers the time step a code belongs to, so the caller can refuse a step used before (replay).
 *
 * @example
 * const secret = newTotpSecret();
 * const uri = totpUri(secret, 'Helpdesk', 'alice'); // otpauth://totp/Helpdesk:alice?secret=...
 * checkTotp(secret, '123456', new Date()); // the step number, or null
 */
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

export const PERIOD = 30;
/** Steps either side of now that are accepted (clock drift of the phone). */
export const DRIFT_STEPS = 1;

const totp = (secret: string, issuer = 'Helpdesk', label = 'user') =>
  new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });

/** A new random secret (160 bits, base32). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, issuer: string, label: string): string {
  return totp(secret, issuer, label).toString();
}

/** The QR code of `uri` as a PNG data URI. */
export function qrDataUri(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

/** The time step `code` was made for (within the drift window around `now`), or null. */
export function checkTotp(secret: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret).validate({ token, timestamp: now.getTime(), window: DRIFT_STEPS });
  if (delta === null) return null;
  return TOTP.counter({ period: PERIOD, timestamp: now.getTime() }) + delta;
}

/** The code of `secret` at `at` (tests and the e2e use the same library as an authenticator app). */
export function totpCode(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}
