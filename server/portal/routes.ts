/**
 * The customer portal's own endpoints: `GET /portal/settings` (public: title, welcome, logo,
 * colours, whether registration is open, the password rules; for signed-in callers also the
 * queues customers may open tickets in), `PUT /portal/settings` (administrators), and under `/auth/customer`: self-registration and the forgotten-password pair.
 */
import { emailSchema } from '../agents/schema';
import { remoteAddr } from '../auth/routes';
import { ApiRouter, reply } from '../http/api';
import { readCustomerQueues } from './customer-queues';
import { confirmPasswordReset, registerCustomer, requestPasswordReset, type Registration } from './account';
import { portalSettingsBody, portalSettingsView, readPortalSettings, settingsView, writePortalSettings, type PortalSettingsPatch } from './settings';

const password = { type: 'string', minLength: 1, maxLength: 1000, description: 'must meet the password rules of `GET /portal/settings`' } as const;
const name = { type: 'string', minLength: 1, maxLength: 100 } as const;
const messageView = { type: 'object', additionalProperties: false, required: ['message'], properties: { message: { type: 'string' } } } as const;

export function portalRouters(): ApiRouter[] {
  const portal = new ApiRouter('/portal', 'Customer portal');
  const account = new ApiRouter('/auth/customer', 'Customer portal');

  portal.get(
    '/settings',
    {
      summary: "The portal's look, whether registration is open, and the password rules",
      description: 'Signed-in callers also get `customerQueues` (the queues customer users may open tickets in) and `defaultQueue` (where their tickets go when they name none).',
      auth: 'none',
      responses: { 200: portalSettingsView },
    },
    async (c) => {
      const db = c.get('services').database.db;
      const settings = await readPortalSettings(db);
      return settingsView(settings, c.get('access').actor ? await readCustomerQueues(db, settings) : undefined);
    },
  );

  portal.put<unknown, unknown, PortalSettingsPatch>(
    '/settings',
    {
      summary: "Change the portal's look, switch registration, or choose the customer queues (only the keys given change)",
      description: '`customerQueues` (ids or names) are the queues customer users may open tickets in; `defaultQueue` (one of them) is where their tickets go when they name none. An unknown or switched-off queue is a 400 at its path; a default that is not offered a 400 at `/defaultQueue`.',
      auth: 'admin',
      body: portalSettingsBody,
      responses: { 200: portalSettingsView },
    },
    async (c, { body }) => {
      const agent = c.get('access').requireAgent();
      const services = c.get('services');
      const db = services.database.db;
      const settings = await writePortalSettings(db, body, agent.id, services.now());
      return settingsView(settings, await readCustomerQueues(db, settings));
    },
  );

  account.post<unknown, unknown, Registration>(
    '/register',
    {
      summary: 'Register as a customer user (the email address becomes the login)',
      description: 'Answers 202 with the same message whether or not the address has an account already (nothing changes then). 403 `REGISTRATION_DISABLED` when switched off; 400 `PASSWORD_RULES` at `/password`; 429 `TOO_MANY_REGISTRATIONS` after `REGISTRATIONS_PER_ADDRESS` from one client address within `LOGIN_LOCK_MINUTES`.',
      auth: 'none',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['email', 'firstName', 'lastName', 'password'],
        properties: { email: emailSchema, firstName: name, lastName: name, password },
      },
      responses: { 202: messageView },
    },
    async (c, { body }) => reply(202, await registerCustomer(c.get('services'), body, { remoteAddr: remoteAddr(c) })),
  );

  account.post<unknown, unknown, { email: string }>(
    '/password-reset',
    {
      summary: 'Ask for a link to set a new password',
      description: 'Answers 202 with the same message whether or not the address has an account. The link (`/portal/reset?token=…`, valid one hour) goes out by mail once mail exists; until then it is logged with `NODE_ENV=development` only.',
      auth: 'none',
      body: { type: 'object', additionalProperties: false, required: ['email'], properties: { email: { type: 'string', minLength: 1, maxLength: 300 } } },
      responses: { 202: messageView },
    },
    async (c, { body }) => reply(202, await requestPasswordReset(c.get('services'), body.email)),
  );

  account.post<unknown, unknown, { token: string; password: string }>(
    '/password-reset/confirm',
    {
      summary: 'Set a new password with the token of a reset link (ends every session of the account)',
      description: '400 `INVALID_TOKEN` at `/token` for an unknown, used or expired token; 400 `PASSWORD_RULES` at `/password`.',
      auth: 'none',
      body: { type: 'object', additionalProperties: false, required: ['token', 'password'], properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, password } },
      responses: { 204: null },
    },
    async (c, { body }) => {
      await confirmPasswordReset(c.get('services'), body.token, body.password);
      return reply(204, null);
    },
  );

  return [portal, account];
}
