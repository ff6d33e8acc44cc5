/**
 * Process tickets over REST: `POST /process-tickets`, `POST|GET /tickets/{id}/process`,
 * `POST /tickets/{id}/dialogs/{nodeId}`, `GET /process-instances/{id}` and `/log`.
 */
import { ApiRouter, idSchema, reply } from '../http/api';
import { logViewSchema, pageQuery, processOrCustomerView, processTicketBody, processViewSchema, startBody, startableView, submitBody } from './schema';
import { ProcessTicketService, type ProcessTicketInput } from './service';

const id = { id: idSchema };

export function processTicketRouters(): ApiRouter[] {
  const create = new ApiRouter('/process-tickets', 'Process tickets');
  const tickets = new ApiRouter('/tickets', 'Process tickets');
  const instances = new ApiRouter('/process-instances', 'Process tickets');
  const svc = (c: Parameters<Parameters<ApiRouter['get']>[2]>[0]) => new ProcessTicketService(c.get('services'));

  create.post<unknown, unknown, ProcessTicketInput>(
    '/',
    {
      summary: 'Create a ticket and start a process on it (one transaction; only an active version starts)',
      description: "Without `ticket`, the ticket is made from the start dialog: the title from `Title` (or its hidden default, or the process name), the first article from `Article` (or a line naming the process), the queue from `Queue` (customers: their default queue; agents whose start dialog has no `Queue` send `ticket`, else 400 at `/ticket/queue`). Values in `ticket` win over hidden defaults. Customer users get the customer view.",
      auth: 'any',
      body: processTicketBody,
      responses: { 201: processOrCustomerView },
    },
    async (c, { body }) => reply(201, await svc(c).create(c.get('access'), body)),
  );

  create.get(
    '/startable',
    {
      summary: 'The processes the caller may start now, with their start dialog',
      description: "Processes with an active version whose start interfaces include the caller's (agent or customer), newest active version each, sorted by name.",
      auth: 'any',
      responses: { 200: startableView },
    },
    async (c) => ({ items: await svc(c).startable(c.get('access')) }),
  );

  tickets.post<{ id: number }, unknown, { process: string; fields?: Record<string, unknown> }>(
    '/:id/process',
    {
      summary: 'Start a process on an existing ticket (409 when it has one)',
      description: 'A start dialog is filled in as for `POST /process-tickets`: `fields` are checked (400 naming `/fields/<Field>`) and written to the ticket first.',
      auth: 'agent',
      params: id,
      body: startBody,
      responses: { 201: processViewSchema },
    },
    async (c, { params, body }) => reply(201, await svc(c).start(c.get('access'), params.id, body.process, body.fields)),
  );

  tickets.get<{ id: number }>(
    '/:id/process',
    { summary: "The ticket's process: status, current nodes, incidents, the caller's open dialogs, the path taken (customers: the labelled steps and their dialogs)", auth: 'any', params: id, responses: { 200: processOrCustomerView } },
    async (c, { params }) => svc(c).get(c.get('access'), params.id),
  );

  tickets.post<{ id: number; nodeId: string }, unknown, { fields?: Record<string, unknown>; tokenId?: string; instanceId?: number }>(
    '/:id/dialogs/:nodeId',
    {
      summary: 'Submit the dialog of a user task; the process moves on (automatic steps chain, scripts run as jobs)',
      auth: 'any',
      params: { ...id, nodeId: { type: 'string', minLength: 1, maxLength: 200 } },
      body: submitBody,
      responses: { 200: processOrCustomerView },
    },
    async (c, { params, body }) => svc(c).submit(c.get('access'), params.id, params.nodeId, body),
  );

  instances.get<{ id: number }>(
    '/:id',
    { summary: 'A process instance', auth: 'any', params: id, responses: { 200: processOrCustomerView } },
    async (c, { params }) => svc(c).instance(c.get('access'), params.id),
  );

  instances.get<{ id: number }, { page: number; perPage: number }>(
    '/:id/log',
    { summary: "A process instance's full log, oldest first", auth: 'agent', params: id, query: pageQuery, responses: { 200: logViewSchema } },
    async (c, { params, query }) => svc(c).log(c.get('access'), params.id, query.page, query.perPage),
  );

  return [create, tickets, instances];
}
