/**
 * `POST /api/v1/mail/inbound`: `npx helpdesk mail read` through a running server. The body is one
 * mail as received (`message/rfc822`); it goes through the inbound pipeline as a piped mail.
 * Administrators only.
 */
import { BadRequest } from '../../errors';
import { ApiRouter } from '../../http/api';
import { processMail } from './pipeline';

export function mailPipeRouter(): ApiRouter {
  const api = new ApiRouter('/mail', 'Mail (inbound)');
  api.post(
    '/inbound',
    {
      summary: 'Read one mail into a ticket (npx helpdesk mail read)',
      description:
        'The body is the raw mail. Answers what became of it: a new ticket, a follow-up, or a problem mail (kept with its reason). A mail larger than MAX_BODY_BYTES is refused with 413 before it is read.',
      auth: 'admin',
      responses: {
        200: {
          type: 'object',
          additionalProperties: false,
          required: ['outcome'],
          properties: {
            outcome: { enum: ['new-ticket', 'follow-up', 'reject', 'ignore', 'sender-limit', 'problem'] },
            ticketId: { type: 'integer' },
            tn: { type: 'string' },
            articleId: { type: 'integer' },
            problemId: { type: 'integer' },
            code: { type: 'string' },
            reason: { type: 'string' },
            autoResponses: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    async (c) => {
      const raw = Buffer.from(await c.req.arrayBuffer());
      if (!raw.length) throw new BadRequest('the request body is empty; send the mail', '/');
      return processMail(c.get('services'), { raw, source: 'pipe' });
    },
  );
  return api;
}
