/**
 * Two-factor login from the browser: the second step of a login (a code for the challenge, an
 * email code on request, the setup a policy forces at login) and a signed-in user's own second
 * factor and sessions (`/api/v1/auth/2fa`, `/api/v1/auth/sessions`).
 */
import { request, setCsrfToken, type User } from './api';

export type { SecondFactor } from './api';

export interface SignedIn {
  user: User;
  csrfToken: string | null;
  /** Only after a setup: shown once. */
  recoveryCodes?: string[];
}

export interface SetupStart {
  method: 'totp' | 'email';
  secret?: string;
  uri?: string;
  /** The otpauth URI as QR code (PNG data URI). */
  qr?: string;
  sentTo?: string;
}

export interface TwoFactorStatus {
  method: 'totp' | 'email' | null;
  enabledAt: string | null;
  required: boolean;
  recoveryCodesLeft: number;
  trustedDevices: number;
  trustedDeviceDays: number;
}

export interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string;
  remoteAddr: string;
}

function signedIn(answer: SignedIn): SignedIn {
  setCsrfToken(answer.csrfToken);
  return answer;
}

/** The code (or a recovery code) for a login challenge. */
export async function verifyLogin(challenge: string, proof: { code?: string; recoveryCode?: string }, rememberDevice: boolean): Promise<SignedIn> {
  return signedIn(await request<SignedIn>('POST', '/api/v1/auth/login/verify', { challenge, ...proof, rememberDevice }));
}

/** Mails a new login code for the challenge. */
export function resendLoginCode(challenge: string): Promise<void> {
  return request<void>('POST', '/api/v1/auth/login/email-code', { challenge });
}

/** Forced setup at login: start. */
export function startLoginSetup(challenge: string, method: 'totp' | 'email'): Promise<SetupStart> {
  return request<SetupStart>('POST', '/api/v1/auth/login/setup', { challenge, method });
}

/** Forced setup at login: the first code switches the factor on and signs in. */
export async function confirmLoginSetup(challenge: string, code: string): Promise<SignedIn> {
  return signedIn(await request<SignedIn>('POST', '/api/v1/auth/login/setup/confirm', { challenge, code }));
}

export const twoFactorApi = {
  status: () => request<TwoFactorStatus>('GET', '/api/v1/auth/2fa'),
  setup: (password: string, method: 'totp' | 'email') => request<SetupStart>('POST', '/api/v1/auth/2fa/setup', { password, method }),
  confirm: (code: string) => request<{ method: string; recoveryCodes: string[] }>('POST', '/api/v1/auth/2fa/confirm', { code }),
  disable: (password: string) => request<void>('POST', '/api/v1/auth/2fa/disable', { password }),
  recoveryCodes: (password: string) => request<{ recoveryCodes: string[] }>('POST', '/api/v1/auth/2fa/recovery-codes', { password }),
  forgetDevices: () => request<{ revoked: number }>('DELETE', '/api/v1/auth/2fa/trusted-devices'),
  sessions: () => request<{ sessions: SessionRow[] }>('GET', '/api/v1/auth/sessions'),
  endSession: (id: string) => request<void>('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(id)}`),
};
