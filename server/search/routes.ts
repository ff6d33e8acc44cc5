/**
 * `GET /api/v1/tickets` (filters in the query string) and `POST /api/v1/tickets/search` (the same
 * criteria as a JSON body): the tickets the caller may read, filtered, full-text searched, sorted
 * and paginated (page/perPage, or the `nextCursor` keyset for deep lists).
 */
import type { Context } from 'hono';
import { ApiRouter } from '../http/api';
import type { AppEnv } from '../http/env';
import { BadRequest } from '../errors';
import { DF_OPERATORS, listQuery, searchBody, ticketList, type DynamicFieldFilter, type DynamicFieldOperator, type IdOrName, type ListQuery, type TicketSearchCriteria } from './schema';
import { SearchService } from './service';

const SYNTAX = `Full-text \`query\`: words (several words: any of them), "phrases", \`*\` and \`?\` wildcards anywhere in a word, \`+must\`, \`-mustnot\`, \`AND\`/\`&&\`, \`OR\`/\`||\`, \`NOT\`/\`!\`, parentheses; precedence NOT > AND > OR. A query that cannot be parsed is a 400 \`QUERY_SYNTAX\` naming the position.`;

/** Query-string ids are digits: `queues=3,Misc` is queue 3 and the queue named Misc. */
const refs = (values: string[] | undefined): IdOrName[] | undefined => values?.map((v) => (/^\d{1,9}$/.test(v) ? Number(v) : v));

const DF_PARAM = /^df\.([A-Za-z0-9_]+)(?:\.([A-Za-z]+))?$/;

/** The query string as search criteria; `df.<Name>[.<op>]=value` become dynamic field filters. */
export function criteriaFromQuery(q: ListQuery): TicketSearchCriteria {
  const { queues, states, priorities, types, owners, responsibles, customerUsers, archived, watchedBy, ...rest } = q;
  const criteria: TicketSearchCriteria = {};
  const dynamicFields: DynamicFieldFilter[] = [];
  for (const [k, v] of Object.entries(rest)) {
    const m = DF_PARAM.exec(k);
    if (!m) {
      (criteria as Record<string, unknown>)[k] = v;
      continue;
    }
    const op = (m[2] ?? 'eq') as DynamicFieldOperator;
    if (!DF_OPERATORS.includes(op)) {
      throw new BadRequest(`unknown operator "${op}"; use one of ${DF_OPERATORS.join(', ')}`, `/${k}`, undefined, 'VALIDATION_FAILED');
    }
    dynamicFields.push({ name: m[1]!, op, ...(op === 'empty' || op === 'notEmpty' ? {} : { value: v }), path: `/${k}` });
  }
  const lists = { queues, states, priorities, types, owners, responsibles, customerUsers };
  for (const [k, v] of Object.entries(lists)) if (v) (criteria as Record<string, unknown>)[k] = refs(v);
  if (archived) criteria.archived = archived === 'all' ? 'all' : archived === 'true';
  if (watchedBy !== undefined) criteria.watchedBy = refs([watchedBy])![0]!;
  if (dynamicFields.length) criteria.dynamicFields = dynamicFields;
  return criteria;
}

const service = (c: Context<AppEnv>) => new SearchService(c.get('services').database.db);

export function searchRouters(): ApiRouter[] {
  const api = new ApiRouter('/tickets', 'Tickets');

  api.get<unknown, ListQuery>(
    '/',
    {
      summary: 'List and search the tickets you may read',
      description: `Filters combine with AND; the values of one filter with OR. Dynamic fields: \`df.<Name>=value\` (equals) or \`df.<Name>.<op>=value\` with op one of ${DF_OPERATORS.join(', ')} (\`in\`: comma-separated). ${SYNTAX}`,
      auth: 'any',
      query: listQuery,
      responses: { 200: ticketList },
    },
    (c, { query }) => service(c).search(c.get('access'), criteriaFromQuery(query), { queryString: true }),
  );

  api.post<unknown, unknown, TicketSearchCriteria>(
    '/search',
    {
      summary: 'Search the tickets you may read (criteria as JSON)',
      description: `The criteria of \`GET /tickets\` as a JSON body; dynamic fields as \`dynamicFields: [{name, op, value}]\`. ${SYNTAX}`,
      auth: 'any',
      body: searchBody,
      responses: { 200: ticketList },
    },
    (c, { body }) => service(c).search(c.get('access'), body),
  );

  return [api];
}
