/**
 * `/api/v1/auth/login/*` and `/api/v1/auth/2fa/*`: the second step of a login (a code for a
 * challenge, an email code on request, the forced setup at login), a signed-in user's own second
 * factor (set up with the current password and a first code, switch off, new recovery codes,
 * forget remembered browsers), and the administrator's policy. API tokens are not touched: a token
 * stays one factor by design (see README, "Two-factor login").
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { Forbidden } from '../../errors';
import { ApiRouter, reply } from '../../http/api';
import type { AppEnv } from '../../http/env';
import type { SecondFactorMethod } from '../../db/tables-two-factor';
import { loginMeta, startSession, TRUSTED_COOKIE } from '../routes';
import { agentView, customerUserView, sessionView } from '../schema';
import { policyBody, policyView, writeTwoFactorPolicy, type TwoFactorPolicy } from './policy';

const challenge = { type: 'string', minLength: 10, maxLength: 200 } as const;
const code = { type: 'string', minLength: 1, maxLength: 20 } as const;
const password = { type: 'string', minLength: 1, maxLength: 1000 } as const;
const method = { enum: ['totp', 'email'] } as const;
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties }) as const;

const session = { oneOf: [sessionView(agentView), sessionView(customerUserView)] } as const;
const recoveryCodes = { type: 'array', items: { type: 'string' }, description: 'shown only in this answer; each works once' } as const;
const setupView = obj(['method'], {
  method,
  secret: { type: 'string', description: 'TOTP: the secret in base32, for typing into the app' },
  uri: { type: 'string', description: 'TOTP: the otpauth:// URI' },
  qr: { type: 'string', description: 'TOTP: the URI as QR code, a PNG data: URI' },
  sentTo: { type: 'string', description: 'email: the address the code went to' },
});
const statusView = obj(['method', 'enabledAt', 'required', 'recoveryCodesLeft', 'trustedDevices', 'trustedDeviceDays'], {
  method: { enum: ['totp', 'email', null] },
  enabledAt: { type: ['string', 'null'], format: 'date-time' },
  required: { type: 'boolean', description: 'the policy requires a second factor for this user' },
  recoveryCodesLeft: { type: 'integer' },
  trustedDevices: { type: 'integer', description: 'browsers remembered now' },
  trustedDeviceDays: { type: 'integer', description: 'how long a browser may be remembered (0: not at all)' },
});

const subjectOf = (c: Context<AppEnv>) => {
  const a = c.get('access').requireActor();
  return { kind: a.kind, id: a.id };
};

export function twoFactorRouter(): ApiRouter {
  const api = new ApiRouter('/auth', 'Two-factor login');

  api.post<unknown, unknown, { challenge: string; code?: string; recoveryCode?: string; rememberDevice?: boolean }>(
    '/login/verify',
    {
      summary: 'Second step of a login: the code (or a recovery code) for the challenge; sets the session cookie',
      auth: 'none',
      body: obj(['challenge'], { challenge, code, recoveryCode: code, rememberDevice: { type: 'boolean' } }),
      responses: { 200: session },
    },
    async (c, { body }) => startSession(c, await c.get('services').auth.completeLogin(body.challenge, loginMeta(c), body)),
  );

  api.post<unknown, unknown, { challenge: string }>(
    '/login/email-code',
    { summary: 'Mail a new login code for the challenge (the previous one stops working)', auth: 'none', body: obj(['challenge'], { challenge }), responses: { 204: null } },
    async (c, { body }) => {
      await c.get('services').auth.twoFactor.sendChallengeCode(body.challenge);
      return reply(204, null);
    },
  );

  api.post<unknown, unknown, { challenge: string; method: SecondFactorMethod }>(
    '/login/setup',
    { summary: 'Forced setup at login: start setting up a second factor', auth: 'none', body: obj(['challenge', 'method'], { challenge, method }), responses: { 200: setupView } },
    async (c, { body }) => {
      const { auth } = c.get('services');
      return auth.twoFactor.beginSetup(await auth.setupSubject(body.challenge), body.method);
    },
  );

  api.post<unknown, unknown, { challenge: string; code: string }>(
    '/login/setup/confirm',
    {
      summary: 'Forced setup at login: the first code switches the factor on and opens the session; answers the recovery codes once',
      auth: 'none',
      body: obj(['challenge', 'code'], { challenge, code }),
      responses: { 200: { oneOf: [agentView, customerUserView].map((u) => ({ ...sessionView(u), required: [...sessionView(u).required, 'recoveryCodes'], properties: { ...sessionView(u).properties, recoveryCodes } })) } },
    },
    async (c, { body }) => {
      const result = await c.get('services').auth.completeSetup(body.challenge, body.code, loginMeta(c));
      return { ...(await startSession(c, result)), recoveryCodes: result.recoveryCodes };
    },
  );

  api.get('/2fa', { summary: "The caller's second factor and what the policy asks of them", auth: 'any', responses: { 200: statusView } }, async (c) => {
    const s = await c.get('services').auth.twoFactor.status(c.get('access').requireActor());
    return { ...s, enabledAt: s.enabledAt?.toISOString() ?? null };
  });

  api.post<unknown, unknown, { password: string; method: SecondFactorMethod }>(
    '/2fa/setup',
    { summary: 'Start setting up a second factor (needs the current password)', auth: 'any', body: obj(['password', 'method'], { password, method }), responses: { 200: setupView } },
    async (c, { body }) => {
      const { auth } = c.get('services');
      await auth.confirmPassword(c.get('access').requireActor(), body.password);
      return auth.twoFactor.beginSetup(subjectOf(c), body.method);
    },
  );

  api.post<unknown, unknown, { code: string }>(
    '/2fa/confirm',
    { summary: 'Switch the second factor on with its first code; answers the recovery codes once', auth: 'any', body: obj(['code'], { code }), responses: { 200: obj(['method', 'recoveryCodes'], { method, recoveryCodes }) } },
    async (c, { body }) => c.get('services').auth.twoFactor.confirmSetup(subjectOf(c), body.code),
  );

  api.post<unknown, unknown, { password: string }>(
    '/2fa/recovery-codes',
    { summary: 'New recovery codes, replacing the old ones (needs the current password)', auth: 'any', body: obj(['password'], { password }), responses: { 200: obj(['recoveryCodes'], { recoveryCodes }) } },
    async (c, { body }) => {
      const { auth } = c.get('services');
      await auth.confirmPassword(c.get('access').requireActor(), body.password);
      return { recoveryCodes: await auth.twoFactor.renewRecoveryCodes(subjectOf(c)) };
    },
  );

  api.post<unknown, unknown, { password: string }>(
    '/2fa/disable',
    { summary: 'Switch the second factor off (needs the current password; refused when the policy requires one)', auth: 'any', body: obj(['password'], { password }), responses: { 204: null } },
    async (c, { body }) => {
      const { auth } = c.get('services');
      const actor = c.get('access').requireActor();
      await auth.confirmPassword(actor, body.password);
      if (await auth.twoFactor.isRequired(actor)) throw new Forbidden('two-factor login is required for you by the policy; it cannot be switched off', 'TWO_FACTOR_REQUIRED');
      await auth.twoFactor.disable(subjectOf(c));
      deleteCookie(c, TRUSTED_COOKIE, { path: '/api/v1/auth' });
      return reply(204, null);
    },
  );

  api.delete(
    '/2fa/trusted-devices',
    { summary: 'Forget every remembered browser: the next login asks for the code again everywhere', auth: 'any', responses: { 200: obj(['revoked'], { revoked: { type: 'integer' } }) } },
    async (c) => {
      const revoked = await c.get('services').auth.twoFactor.revokeTrustedDevices(subjectOf(c));
      if (getCookie(c, TRUSTED_COOKIE)) deleteCookie(c, TRUSTED_COOKIE, { path: '/api/v1/auth' });
      return { revoked };
    },
  );

  api.get('/2fa/policy', { summary: 'The two-factor policy', auth: 'admin', responses: { 200: policyView } }, (c) => c.get('services').auth.twoFactor.policy());

  api.put<unknown, unknown, Partial<TwoFactorPolicy>>(
    '/2fa/policy',
    { summary: 'Change the two-factor policy (required for agents / administrators / customer users, remembered-browser days)', auth: 'admin', body: policyBody, responses: { 200: policyView } },
    async (c, { body }) => {
      const { database, now } = c.get('services');
      return writeTwoFactorPolicy(database.db, body, c.get('access').requireAgent().id, now());
    },
  );

  return api;
}
