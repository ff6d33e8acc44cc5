/**
 * `/api/v1/notifications`: the caller's web notifications (agents and customer users): the list with
 * the unread count, mark one or all read. `/api/v1/notification-templates` (administrators): the
 * templates of every notification, change one, reset it to the shipped default.
 */
import type { Context } from 'hono';
import { ApiRouter, idSchema, reply } from '../http/api';
import type { AppEnv } from '../http/env';
import { notificationListQuery, notificationListView, templateBody, templateKeyParams, templateListView, templateView, type NotificationListQuery, type TemplateInput } from './schema';
import { NotificationService } from './service';

const service = (c: Context<AppEnv>) => new NotificationService(c.get('services'));

export function notificationRouters(): ApiRouter[] {
  const api = new ApiRouter('/notifications', 'Notifications');

  api.get<unknown, NotificationListQuery>(
    '/',
    {
      summary: 'My web notifications, newest first, with the unread count',
      description: 'Agents and customer users. New ones also arrive live as `notification` events on `GET /events`.',
      auth: 'any',
      query: notificationListQuery,
      responses: { 200: notificationListView },
    },
    (c, { query }) => service(c).list(c.get('access'), query),
  );

  api.post('/read-all', { summary: 'Mark all my notifications read', auth: 'any', responses: { 204: null } }, async (c) => {
    await service(c).readAll(c.get('access'));
    return reply(204, null);
  });

  api.post<{ id: number }>('/:id/read', { summary: 'Mark one of my notifications read (404 when it is not mine)', auth: 'any', params: { id: idSchema }, responses: { 204: null } }, async (c, { params }) => {
    await service(c).read(c.get('access'), params.id);
    return reply(204, null);
  });

  const admin = new ApiRouter('/notification-templates', 'Notifications');

  admin.get('/', { summary: 'Every notification with its template in force (administrators)', auth: 'admin', responses: { 200: templateListView } }, (c) =>
    service(c).templates(c.get('access')),
  );

  admin.put<{ key: string }, unknown, TemplateInput>(
    '/:key',
    {
      summary: "Change a notification's template, recipients or on/off",
      description: 'Subject and body take OTRS tags (`<OTRS_TICKET_TicketNumber>`, `<OTRS_CUSTOMER_REALNAME>`, `<OTRS_NOTIFICATION_RECIPIENT_UserFirstname>`, `<OTRS_CURRENT_UserFullname>`, `<OTRS_CUSTOMER_BODY>`) and `{{ticket.title}}` templates; an unknown tag or reference is a 400 naming `/subject` or `/body`.',
      auth: 'admin',
      params: templateKeyParams,
      body: templateBody,
      responses: { 200: templateView },
    },
    (c, { params, body }) => service(c).updateTemplate(c.get('access'), params.key, body),
  );

  admin.delete<{ key: string }>(
    '/:key',
    { summary: 'Reset a notification to its shipped default', auth: 'admin', params: templateKeyParams, responses: { 200: templateView } },
    (c, { params }) => service(c).resetTemplate(c.get('access'), params.key),
  );

  return [api, admin];
}
