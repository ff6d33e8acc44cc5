/**
 * The admin entities as configurations of the one list/edit component: agents, groups, roles,
 * queues, states, priorities, types, customers, customer users, dynamic fields and Generic
 * Interface web services. Each names its endpoint, list columns and form fields.
 */
import { namesOf, type EntityConfig, type FormField } from './entity';
import { m } from '$lib/i18n';

type Row = Record<string, unknown>;

const text = (r: Row, k: string) => (r[k] === null || r[k] === undefined ? '' : String(r[k]));
const valid: FormField = { key: 'valid', label: 'Valid (unticked: retired)', kind: 'checkbox', initial: true };
const comment: FormField = { key: 'comment', label: 'Comment', kind: 'textarea' };
const byName = (r: Row) => text(r, 'name');
const date = (r: Row, k: string) => (typeof r[k] === 'string' ? new Date(r[k]).toLocaleDateString() : '');

/**
 * Catalogue tables with just a name and validity (priorities, types), and with a comment and an
 * introduction when given (groups, roles).
 */
function simple(title: string, singular: string, endpoint: string, more: { intro?: string; comment?: boolean } = {}): EntityConfig {
  return {
    title,
    singular,
    endpoint,
    name: byName,
    search: true,
    canDelete: true,
    ...(more.intro ? { intro: more.intro } : {}),
    columns: [{ label: 'Name', value: byName }, ...(more.comment ? [{ label: 'Comment', value: (r: Row) => text(r, 'comment'), secondary: true }] : [])],
    fields: [{ key: 'name', label: 'Name', kind: 'text', required: true }, ...(more.comment ? [comment] : []), valid],
  };
}

export const STATE_TYPES = ['new', 'open', 'closed', 'pending reminder', 'pending auto', 'removed', 'merged'];
export const PERMISSIONS = ['ro', 'move_into', 'create', 'note', 'owner', 'priority', 'rw'] as const;
export const FIELD_TYPES = ['text', 'textarea', 'dropdown', 'multiselect', 'checkbox', 'date', 'datetime', 'integer'] as const;

export const entities = {
  agents: {
    title: 'Agents',
    singular: 'agent',
    endpoint: '/api/v1/agents',
    name: (r) => `${text(r, 'name') || text(r, 'login')} (${text(r, 'login')})`,
    search: true,
    columns: [
      { label: 'Login', value: (r) => text(r, 'login') },
      { label: 'Name', value: byName },
      { label: 'Email', value: (r) => text(r, 'email'), secondary: true },
    ],
    fields: [
      { key: 'login', label: 'Login', kind: 'text', required: true },
      { key: 'firstName', label: 'First name', kind: 'text', required: true },
      { key: 'lastName', label: 'Last name', kind: 'text', required: true },
      { key: 'email', label: 'Email', kind: 'email', required: true },
      { key: 'password', label: 'Password', kind: 'password', keepWhenEmpty: true, help: 'Empty: unchanged (new agents without one cannot sign in yet).' },
      { key: 'changePasswordAtLogin', label: m.admin_agent_change_at_login(), kind: 'checkbox', initial: true, when: (v) => typeof v.password === 'string' && v.password !== '' },
      valid,
      { key: 'roles', label: 'Roles', kind: 'multiselect', options: namesOf('/api/v1/roles') },
    ],
  },
  groups: simple('Groups', 'group', '/api/v1/groups', { intro: 'A group grants permissions on the queues it holds; agents get them directly or through roles.', comment: true }),
  roles: simple('Roles', 'role', '/api/v1/roles', { intro: 'A role bundles group permissions; agents with the role get them all.', comment: true }),

  queues: {
    title: 'Queues',
    singular: 'queue',
    endpoint: '/api/v1/queues',
    name: byName,
    search: true,
    canDelete: true,
    intro: 'Sub-queues are named with “::”, e.g. Sales::Europe. The group decides who may work in the queue.',
    columns: [
      { label: 'Name', value: byName },
      { label: 'Group', value: (r) => text(r, 'group') },
      { label: 'Comment', value: (r) => text(r, 'comment'), secondary: true },
    ],
    fields: [
      { key: 'name', label: 'Name', kind: 'text', required: true },
      { key: 'group', label: 'Group', kind: 'select', options: namesOf('/api/v1/groups'), required: true, initial: 'users' },
      {
        key: 'followUp',
        label: 'Customer reply to a closed ticket',
        kind: 'select',
        options: [{ value: 'possible', label: 'reopens the ticket' }, { value: 'reject', label: 'is refused (open a new ticket)' }],
        initial: 'possible',
      },
      { key: 'unlockTimeout', label: 'Unlock timeout in minutes (a lock nobody uses runs out; empty: never)', kind: 'number' },
      comment,
      valid,
    ],
  },
  states: {
    title: 'States',
    singular: 'state',
    endpoint: '/api/v1/states',
    name: byName,
    search: true,
    canDelete: true,
    columns: [
      { label: 'Name', value: byName },
      { label: 'Type', value: (r) => text(r, 'stateType') },
      { label: 'Comment', value: (r) => text(r, 'comment'), secondary: true },
    ],
    fields: [
      { key: 'name', label: 'Name', kind: 'text', required: true },
      { key: 'stateType', label: 'State type', kind: 'select', options: STATE_TYPES.map((t) => ({ value: t, label: t })), required: true },
      comment,
      valid,
    ],
  },
  priorities: simple('Priorities', 'priority', '/api/v1/priorities'),
  types: simple('Ticket types', 'type', '/api/v1/types'),
  customers: {
    title: 'Customers',
    singular: 'customer',
    endpoint: '/api/v1/customers',
    id: (r) => text(r, 'customerId'),
    name: (r) => `${text(r, 'name')} (${text(r, 'customerId')})`,
    search: true,
    canDelete: true,
    columns: [
      { label: 'Customer id', value: (r) => text(r, 'customerId') },
      { label: 'Name', value: byName },
      { label: 'City', value: (r) => text(r, 'city'), secondary: true },
      { label: 'Open tickets', value: (r) => text(r, 'openTickets'), secondary: true },
    ],
    fields: [
      { key: 'customerId', label: 'Customer id', kind: 'text', required: true, createOnly: true },
      { key: 'name', label: 'Name', kind: 'text', required: true },
      { key: 'street', label: 'Street', kind: 'text' },
      { key: 'zip', label: 'Zip', kind: 'text' },
      { key: 'city', label: 'City', kind: 'text' },
      { key: 'country', label: 'Country', kind: 'text' },
      { key: 'url', label: 'Web site', kind: 'text' },
      comment,
      valid,
    ],
  },
  customerUsers: {
    title: 'Customer users',
    singular: 'customer user',
    endpoint: '/api/v1/customer-users',
    name: (r) => `${text(r, 'name')} (${text(r, 'login')})`,
    search: true,
    columns: [
      { label: 'Login', value: (r) => text(r, 'login') },
      { label: 'Name', value: byName },
      { label: 'Customer', value: (r) => text(r, 'customerName') || text(r, 'customerId') },
      { label: 'Email', value: (r) => text(r, 'email'), secondary: true },
    ],
    fields: [
      { key: 'login', label: 'Login', kind: 'text', required: true },
      { key: 'firstName', label: 'First name', kind: 'text', required: true },
      { key: 'lastName', label: 'Last name', kind: 'text', required: true },
      { key: 'email', label: 'Email', kind: 'email', required: true },
      { key: 'phone', label: 'Phone', kind: 'text' },
      { key: 'customerId', label: 'Customer', kind: 'select', options: namesOf('/api/v1/customers', (r) => `${String(r.name)} (${String(r.customerId)})`), required: true },
      { key: 'password', label: 'Password', kind: 'password', keepWhenEmpty: true, help: 'Empty: unchanged.' },
      valid,
      { key: 'loginForbidden', label: 'Cannot sign in to the portal', kind: 'checkbox' },
      { key: 'canSeeCompanyTickets', label: "Sees the company's tickets", kind: 'checkbox', initial: true },
    ],
  },
  dynamicFields: {
    title: 'Dynamic fields',
    singular: 'dynamic field',
    endpoint: '/api/v1/dynamic-fields',
    name: (r) => `${text(r, 'label')} (${text(r, 'name')})`,
    search: true,
    canDelete: true,
    intro: 'Extra fields on tickets and articles. Dialogs and the API name them DynamicField_<Name>.',
    columns: [
      { label: 'Name', value: byName },
      { label: 'Label', value: (r) => text(r, 'label') },
      { label: 'Type', value: (r) => text(r, 'fieldType') },
      { label: 'Object', value: (r) => text(r, 'objectType'), secondary: true },
      { label: 'Portal', value: (r) => (r.customerVisible === true ? 'visible' : ''), secondary: true },
    ],
    fields: [
      { key: 'name', label: 'Name', kind: 'text', required: true, help: 'Letters and digits; used in the API.' },
      { key: 'label', label: 'Label', kind: 'text', required: true },
      { key: 'fieldType', label: 'Type', kind: 'select', options: FIELD_TYPES.map((t) => ({ value: t, label: t })), required: true, initial: 'text' },
      { key: 'objectType', label: 'Object', kind: 'select', options: [{ value: 'ticket', label: 'ticket' }, { value: 'article', label: 'article' }], initial: 'ticket' },
      { key: 'fieldOrder', label: 'Order', kind: 'number' },
      {
        key: 'config.possibleValues',
        label: 'Possible values',
        kind: 'lines',
        help: 'One per line: key=Label (or just key).',
        when: (v) => v.fieldType === 'dropdown' || v.fieldType === 'multiselect',
      },
      { key: 'config.regex', label: 'Pattern (regular expression)', kind: 'text', when: (v) => v.fieldType === 'text' || v.fieldType === 'textarea' },
      { key: 'config.maxLength', label: 'Longest value', kind: 'number', when: (v) => v.fieldType === 'text' || v.fieldType === 'textarea' },
      { key: 'config.min', label: 'Minimum', kind: 'number', when: (v) => v.fieldType === 'integer' },
      { key: 'config.max', label: 'Maximum', kind: 'number', when: (v) => v.fieldType === 'integer' },
      { key: 'config.defaultValue', label: 'Default value', kind: 'json', rows: 1, help: 'JSON: "text", 3, true, ["a","b"]; empty: none.' },
      { key: 'internal', label: 'Internal (hidden from agents’ lists)', kind: 'checkbox' },
      { key: 'customerVisible', label: 'Customer-visible (shown and editable in the customer portal)', kind: 'checkbox' },
      valid,
    ],
  },
  webservices: {
    title: 'Web services',
    singular: 'web service',
    endpoint: '/api/v1/webservices',
    name: byName,
    canDelete: true,
    intro: 'Generic Interface (OTOBO-compatible) web services: routes map to operations; the debugger keeps exchanges at its level.',
    columns: [
      { label: 'Name', value: byName },
      { label: 'Envelope', value: (r) => text(r, 'envelope') },
      { label: 'Debug level', value: (r) => text(r, 'debugLevel'), secondary: true },
      { label: 'Changed', value: (r) => date(r, 'changedAt'), secondary: true },
    ],
    fields: [
      { key: 'name', label: 'Name', kind: 'text', required: true },
      { key: 'description', label: 'Description', kind: 'textarea' },
      {
        key: 'envelope',
        label: 'Envelope',
        kind: 'select',
        options: [
          { value: 'otobo', label: 'OTOBO (Error object, HTTP 200)' },
          { value: 'success-data', label: 'Success / Data' },
        ],
        initial: 'otobo',
      },
      {
        key: 'debugLevel',
        label: 'Debug level',
        kind: 'select',
        options: ['debug', 'info', 'notice', 'error'].map((l) => ({ value: l, label: l })),
        initial: 'error',
        help: 'debug keeps every exchange.',
      },
      { key: 'debugRetention', label: 'Log entries kept', kind: 'number' },
      { key: 'maxLength', label: 'Longest logged body (bytes)', kind: 'number' },
      valid,
      { key: 'operations', label: 'Operations (JSON: name → {type, description})', kind: 'json', initial: { TicketGet: { type: 'Ticket::TicketGet' } } },
      { key: 'routes', label: 'Routes', kind: 'custom', initial: [{ route: '/Ticket/:TicketID', methods: ['GET'], operation: 'TicketGet' }] },
    ],
  },
  mailAccounts: {
    title: 'Mail accounts',
    singular: 'mail account',
    endpoint: '/api/v1/mail/accounts',
    name: byName,
    canDelete: true,
    intro:
      'IMAP and POP3 mailboxes fetched into tickets every interval while valid. The password is stored encrypted and never shown. A mail host on a private or loopback address needs an allow-list entry.',
    columns: [
      { label: 'Name', value: byName },
      { label: 'Server', value: (r) => `${text(r, 'protocol').toUpperCase()} ${text(r, 'host')}:${text(r, 'port')}` },
      { label: 'Queue', value: (r) => text(r, 'queue') || 'by recipient' },
      { label: 'Last fetch', value: (r) => (r.lastError ? `failed: ${text(r, 'lastError')}` : typeof r.lastFetchAt === 'string' ? new Date(r.lastFetchAt).toLocaleString() : 'not yet'), secondary: true },
    ],
    fields: [
      { key: 'name', label: 'Name', kind: 'text', required: true },
      { key: 'protocol', label: 'Protocol', kind: 'select', options: [{ value: 'imap', label: 'IMAP' }, { value: 'pop3', label: 'POP3' }], required: true, initial: 'imap' },
      { key: 'host', label: 'Host', kind: 'text', required: true },
      {
        key: 'tls',
        label: 'Encryption',
        kind: 'select',
        options: [
          { value: 'tls', label: 'TLS (IMAPS 993 / POP3S 995)' },
          { value: 'starttls', label: 'STARTTLS' },
          { value: 'none', label: 'none' },
        ],
        initial: 'tls',
      },
      { key: 'port', label: 'Port', kind: 'number', help: 'Empty: the usual port of the protocol and encryption.' },
      { key: 'login', label: 'Login', kind: 'text', required: true },
      { key: 'password', label: 'Password', kind: 'password', keepWhenEmpty: true, help: 'Empty: unchanged.' },
      { key: 'folder', label: 'Folder (IMAP)', kind: 'text', initial: 'INBOX' },
      { key: 'keep', label: 'Keep mails on the server (IMAP: mark read; POP3: remember) instead of deleting them', kind: 'checkbox', initial: false },
      { key: 'queue', label: 'Queue', kind: 'select', options: namesOf('/api/v1/queues'), help: 'Empty: by recipient (system addresses), else the default queue.' },
      { key: 'intervalSeconds', label: 'Fetch every (seconds)', kind: 'number', initial: 300 },
      { key: 'allowList', label: 'Allow-list (JSON list of hosts, addresses or CIDRs)', kind: 'json', initial: [] },
      { ...valid, label: 'Valid (unticked: not fetched)' },
    ],
  },
  postmasterFilters: {
    title: 'Postmaster filters',
    singular: 'postmaster filter',
    endpoint: '/api/v1/mail/filters',
    name: byName,
    canDelete: true,
    intro:
      'Filters run on every incoming mail in name order: when all match rules hold (a header or Body, a regular expression, optionally negated), the actions apply; “stop” ends the evaluation.',
    columns: [
      { label: 'Name', value: byName },
      { label: 'Matches', value: (r) => (Array.isArray(r.matches) ? r.matches.map((m: { field: string; regex: string; negate?: boolean }) => `${m.field} ${m.negate ? '!~' : '~'} /${m.regex}/`).join(', ') : '') },
      { label: 'Actions', value: (r) => JSON.stringify(r.actions ?? {}), secondary: true },
    ],
    fields: [
      { key: 'name', label: 'Name', kind: 'text', required: true, help: 'Filters run in name order: prefix a number (10 spam, 20 sales).' },
      {
        key: 'matches',
        label: 'Match rules (JSON: [{field, regex, negate}])',
        kind: 'json',
        required: true,
        rows: 6,
        initial: [{ field: 'Subject', regex: '^\\[spam\\]', negate: false }],
      },
      {
        key: 'actions',
        label: 'Actions (JSON: queue, priority, state, owner, dynamicFields, ignore, internal)',
        kind: 'json',
        required: true,
        rows: 6,
        initial: { queue: 'Junk' },
      },
      { key: 'stop', label: 'Stop after a match', kind: 'checkbox', initial: true },
      valid,
    ],
  },
  autoResponses: {
    title: 'Auto responses',
    singular: 'auto response',
    endpoint: '/api/v1/mail/auto-responses',
    name: (r) => `${text(r, 'queue')}: ${text(r, 'kind')}`,
    canDelete: true,
    intro:
      'The answer a queue sends by mail on a new ticket, a follow-up or a rejected follow-up (never to automatic mail). Tags: <OTRS_TICKET_TicketNumber>, <OTRS_CUSTOMER_REALNAME>, <OTRS_CUSTOMER_SUBJECT>, {{ticket.title}} …',
    columns: [
      { label: 'Queue', value: (r) => text(r, 'queue') },
      { label: 'When', value: (r) => ({ new: 'new ticket', follow_up: 'follow-up', reject: 'rejected follow-up' })[text(r, 'kind')] ?? text(r, 'kind') },
      { label: 'Subject', value: (r) => text(r, 'subject'), secondary: true },
    ],
    fields: [
      { key: 'queue', label: 'Queue', kind: 'select', options: namesOf('/api/v1/queues'), required: true },
      {
        key: 'kind',
        label: 'When',
        kind: 'select',
        options: [
          { value: 'new', label: 'new ticket' },
          { value: 'follow_up', label: 'follow-up' },
          { value: 'reject', label: 'rejected follow-up' },
        ],
        required: true,
        initial: 'new',
      },
      { key: 'subject', label: 'Subject', kind: 'text', required: true, initial: 'Re: <OTRS_CUSTOMER_SUBJECT>' },
      { key: 'body', label: 'Body', kind: 'textarea', required: true, rows: 8, initial: 'Dear <OTRS_CUSTOMER_REALNAME>,\n\nwe received your mail and opened ticket <OTRS_TICKET_TicketNumber>.\n' },
      valid,
    ],
  },
  systemAddresses: {
    title: 'System addresses',
    singular: 'system address',
    endpoint: '/api/v1/mail/addresses',
    name: (r) => text(r, 'address'),
    search: false,
    canDelete: true,
    intro: 'The addresses the helpdesk receives mail for, and the queue each one’s mail goes to. The SMTP listener accepts only these (and MAIL_ADDRESSES).',
    columns: [
      { label: 'Address', value: (r) => text(r, 'address') },
      { label: 'Name', value: (r) => text(r, 'displayName') },
      { label: 'Queue', value: (r) => text(r, 'queue') },
    ],
    fields: [
      { key: 'address', label: 'Address', kind: 'email', required: true },
      { key: 'displayName', label: 'Display name', kind: 'text' },
      { key: 'queue', label: 'Queue', kind: 'select', options: namesOf('/api/v1/queues'), required: true },
      valid,
    ],
  },
} satisfies Record<string, EntityConfig<Row>>;
