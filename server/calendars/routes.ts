/**
 * `/api/v1/calendars`: calendars (agents see those of their groups; administrators manage them,
 * export and import their configuration), appointments and the occurrences in a window, "this /
 * following / all" changes, .ics import, private iCal feeds (`/calendars/feed/{token}.ics`, no
 * login: the token is the secret) and ticket appointment rules.
 */
import type { Context } from 'hono';
import { ApiRouter, idSchema, reply } from '../http/api';
import type { AppEnv } from '../http/env';
import { NotFound } from '../errors';
import { AppointmentService } from './appointments';
import {
  appointmentBody,
  appointmentDeleteQuery,
  appointmentPatch,
  appointmentView,
  calendarBody,
  calendarConfig,
  calendarListView,
  calendarPatch,
  calendarView,
  feedView,
  icsBody,
  icsImportView,
  occurrenceListView,
  ticketRuleBody,
  ticketRuleListView,
  ticketRuleView,
  windowQuery,
  type AppointmentDeleteQuery,
  type AppointmentInput,
  type AppointmentPatch,
  type CalendarConfig,
  type CalendarInput,
  type TicketRuleInput,
  type WindowQuery,
} from './schema';
import { CalendarService } from './service';

const calendars = (c: Context<AppEnv>) => new CalendarService(c.get('services'));
const appointments = (c: Context<AppEnv>) => new AppointmentService(c.get('services').database.db, c.get('services').now);
const id = { id: idSchema };
const ruleParams = { id: idSchema, ruleId: idSchema };

export function calendarRouter(): ApiRouter {
  const api = new ApiRouter('/calendars', 'Calendars');

  // Specific paths first: `/appointments`, `/feed`, `/import` before `/:id`.
  api.get<unknown, WindowQuery>(
    '/appointments',
    {
      summary: 'The appointment occurrences in a window (month, week, day, agenda, dashboard, ticket zoom)',
      description: 'Repeating appointments are expanded per occurrence. The window is at most 400 days wide and answers at most 20,000 occurrences (400 `WINDOW_TOO_LARGE` beyond).',
      auth: 'agent',
      query: windowQuery,
      responses: { 200: occurrenceListView },
    },
    async (c, { query }) => ({ items: await appointments(c).window(c.get('access'), query) }),
  );

  api.post<unknown, unknown, AppointmentInput>(
    '/appointments',
    { summary: 'Add an appointment (rw on the calendar)', description: 'A bad repeat rule is a 400 naming `/rrule`: malformed, more often than hourly, hourly without an end, more than 5,000 occurrences, or none.', auth: 'agent', body: appointmentBody, responses: { 201: appointmentView } },
    async (c, { body }) => reply(201, await appointments(c).create(c.get('access'), body)),
  );

  api.get<{ id: number }>('/appointments/:id', { summary: 'One appointment (a series, a single one, or a changed occurrence)', auth: 'agent', params: id, responses: { 200: appointmentView } }, (c, { params }) =>
    appointments(c).get(c.get('access'), params.id),
  );

  api.patch<{ id: number }, unknown, AppointmentPatch>(
    '/appointments/:id',
    {
      summary: 'Change an appointment: all occurrences, this one, or this and the following ones',
      description: 'Answers the appointment that now holds the occurrence (a new override for `this`, a new series for `following`). Appointments kept by a ticket rule answer 409.',
      auth: 'agent',
      params: id,
      body: appointmentPatch,
      responses: { 200: appointmentView },
    },
    (c, { params, body }) => appointments(c).update(c.get('access'), params.id, body),
  );

  api.delete<{ id: number }, AppointmentDeleteQuery>(
    '/appointments/:id',
    { summary: 'Delete an appointment: all occurrences, this one, or this and the following ones', auth: 'agent', params: id, query: appointmentDeleteQuery, responses: { 204: null } },
    async (c, { params, query }) => {
      await appointments(c).delete(c.get('access'), params.id, query);
      return reply(204, null);
    },
  );

  api.get<{ file: string }>(
    '/feed/:file',
    {
      summary: 'A private iCal feed (subscribe in Thunderbird, Apple Calendar, Outlook, Google)',
      description: 'The path is `/api/v1/calendars/feed/{token}.ics`, as `PUT /calendars/{id}/feed` answers it. No login: the token is the secret. 404 once the token is revoked or its agent may no longer read the calendar.',
      auth: 'none',
      params: { file: { type: 'string', pattern: '^[A-Za-z0-9_-]{20,100}\\.ics$' } },
      responses: { 200: { binary: 'text/calendar' } },
    },
    async (c, { params }) => {
      const token = params.file.replace(/\.ics$/, '');
      if (!token) throw new NotFound('feed');
      const { name, text } = await calendars(c).feed(token);
      return new Response(text, { status: 200, headers: { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': `inline; filename="${name.replace(/[^\w .-]/g, '_')}.ics"`, 'Cache-Control': 'private, max-age=300' } });
    },
  );

  api.post<unknown, unknown, CalendarConfig>(
    '/import',
    { summary: "Import a calendar's configuration (creates it, or updates the calendar of that name; its ticket rules are replaced)", auth: 'admin', body: calendarConfig, responses: { 200: calendarView } },
    (c, { body }) => calendars(c).importConfig(c.get('access'), body),
  );

  api.get('/', { summary: 'The calendars I may see (administrators: all)', auth: 'agent', responses: { 200: calendarListView } }, async (c) => ({ items: await calendars(c).list(c.get('access')) }));

  api.post<unknown, unknown, CalendarInput>('/', { summary: 'Add a calendar', auth: 'admin', body: calendarBody, responses: { 201: calendarView } }, async (c, { body }) =>
    reply(201, await calendars(c).create(c.get('access'), body)),
  );

  api.get<{ id: number }>('/:id', { summary: 'One calendar', auth: 'agent', params: id, responses: { 200: calendarView } }, (c, { params }) => calendars(c).get(c.get('access'), params.id));

  api.patch<{ id: number }, unknown, Partial<CalendarInput>>('/:id', { summary: 'Change a calendar (name, colour, permission group, valid)', auth: 'admin', params: id, body: calendarPatch, responses: { 200: calendarView } }, (c, { params, body }) =>
    calendars(c).update(c.get('access'), params.id, body),
  );

  api.get<{ id: number }>('/:id/export', { summary: "A calendar's configuration as JSON (for POST /calendars/import)", auth: 'admin', params: id, responses: { 200: calendarConfig } }, (c, { params }) =>
    calendars(c).exportConfig(c.get('access'), params.id),
  );

  api.put<{ id: number }>('/:id/feed', { summary: 'A new private feed URL for me and this calendar (the previous one stops working)', auth: 'agent', params: id, responses: { 200: feedView } }, (c, { params }) =>
    calendars(c).newFeed(c.get('access'), params.id, new URL(c.req.url).origin),
  );

  api.delete<{ id: number }>('/:id/feed', { summary: 'Revoke my feed URL of this calendar', auth: 'agent', params: id, responses: { 204: null } }, async (c, { params }) => {
    await calendars(c).revokeFeed(c.get('access'), params.id);
    return reply(204, null);
  });

  api.post<{ id: number }, unknown, { ics: string }>(
    '/:id/ics',
    { summary: 'Import an .ics file into the calendar (events update the appointments with the same UID)', description: 'All or nothing: a malformed file or event is a 400 naming `/ics` or `/ics/VEVENT[n]`; more than 2 MB is a 413.', auth: 'agent', params: id, body: icsBody, responses: { 200: icsImportView } },
    (c, { params, body }) => calendars(c).importIcs(c.get('access'), params.id, body.ics),
  );

  api.get<{ id: number }>('/:id/ticket-rules', { summary: "The calendar's ticket appointment rules", auth: 'admin', params: id, responses: { 200: ticketRuleListView } }, async (c, { params }) => ({
    items: await calendars(c).rules(c.get('access'), params.id),
  }));

  api.post<{ id: number }, unknown, TicketRuleInput>(
    '/:id/ticket-rules',
    { summary: 'Add a ticket appointment rule (its appointments are made at once)', auth: 'admin', params: id, body: ticketRuleBody, responses: { 201: ticketRuleView } },
    async (c, { params, body }) => reply(201, await calendars(c).saveRule(c.get('access'), params.id, body)),
  );

  api.put<{ id: number; ruleId: number }, unknown, TicketRuleInput>(
    '/:id/ticket-rules/:ruleId',
    { summary: 'Replace a ticket appointment rule', auth: 'admin', params: ruleParams, body: ticketRuleBody, responses: { 200: ticketRuleView } },
    (c, { params, body }) => calendars(c).saveRule(c.get('access'), params.id, body, params.ruleId),
  );

  api.delete<{ id: number; ruleId: number }>('/:id/ticket-rules/:ruleId', { summary: 'Delete a ticket appointment rule and its appointments', auth: 'admin', params: ruleParams, responses: { 204: null } }, async (c, { params }) => {
    await calendars(c).deleteRule(c.get('access'), params.id, params.ruleId);
    return reply(204, null);
  });

  return api;
}
