/**
 * `POST /api/v1/auth/admin-password`: `npx helpdesk admin reset-password` through a running server.
 * Administrators only (the local CLI calls it with the server's own token, which needs no password).
 */
import { ApiRouter } from '../http/api';
import { resetAdminPassword } from './admin';

export function adminPasswordRouter(): ApiRouter {
  const api = new ApiRouter('/auth', 'Authentication');
  api.post<unknown, unknown, { password?: string }>(
    '/admin-password',
    {
      summary: 'Give the agent "admin" a new password',
      description:
        'The password given (the CLI sends ADMIN_PASSWORD), else a generated one, answered once in `password`. Creates the agent when missing, makes it valid, ends its sessions and lifts a login lock.',
      auth: 'admin',
      body: { type: 'object', additionalProperties: false, properties: { password: { type: 'string', minLength: 1, maxLength: 1000 } } },
      responses: {
        200: {
          type: 'object',
          additionalProperties: false,
          required: ['generated'],
          properties: { generated: { type: 'boolean' }, password: { type: 'string', description: 'only when generated' } },
        },
      },
    },
    async (c, { body }) => {
      const r = await resetAdminPassword(c.get('services').database.db, body.password);
      return r.generated ? { generated: true, password: r.password } : { generated: false };
    },
  );
  return api;
}
