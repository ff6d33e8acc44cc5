/**
 * The customer portal's server side (issue 10): the portal settings, self-registration and the
 * forgotten-password pair (neither reveals whether an address exists), password rules on every
 * change, customer-visible dynamic fields, the processes a customer may start, a process ticket
 * made from the start dialog alone, and the customer's view of the process (labelled steps only,
 * no internals). Runs on PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Process } from '../engine/model/types';
import { databaseKinds } from './support/db';
import { deploy, startEngineHelpdesk, type EngineHelpdesk } from './support/engine';
import { Client } from './support/server';
import { createDynamicField } from './support/tickets';

const portalProcess: Process = {
  format: 'process/1',
  key: 'device-request',
  name: 'Device request',
  description: 'Ask for a new device.',
  start: {
    interfaces: ['customer', 'agent'],
    dialog: {
      name: 'Which device?',
      interfaces: ['customer', 'agent'],
      fields: [
        { field: 'Title', display: 'mandatory', label: 'What do you need?' },
        { field: 'DynamicField_Device', display: 'mandatory' },
        { field: 'Article', display: 'shown', label: 'Anything else' },
      ],
    },
  },
  nodes: [
    { id: 'start', type: 'startEvent', name: 'Request received' },
    { id: 'check', type: 'userTask', name: 'Checked by the service desk', dialog: { interfaces: ['agent'], fields: [{ field: 'DynamicField_Approved', display: 'mandatory' }] } },
    { id: 'gw_secret_routing', type: 'exclusiveGateway', name: 'Budget left?', default: 'tOk' },
    { id: 'internal_budget_step', type: 'userTask', dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
    { id: 'confirm', type: 'userTask', name: 'Your confirmation', dialog: { interfaces: ['customer'], submitText: 'Confirm', fields: [{ field: 'DynamicField_Rating', display: 'mandatory' }] } },
    { id: 'end', type: 'endEvent', name: 'Delivered' },
  ],
  transitions: [
    { id: 't1', from: 'start', to: 'check' },
    { id: 't2', from: 'check', to: 'gw_secret_routing' },
    { id: 'tOk', from: 'gw_secret_routing', to: 'internal_budget_step' },
    { id: 't3', from: 'internal_budget_step', to: 'confirm' },
    { id: 't4', from: 'confirm', to: 'end' },
    { id: 'tNo', from: 'gw_secret_routing', to: 'end', condition: { all: [{ field: 'DynamicField_Approved', op: 'eq', value: 'no' }] } },
  ],
} as Process;

const agentOnly: Process = {
  format: 'process/1',
  key: 'agent-only',
  name: 'Agent only',
  start: { interfaces: ['agent'] },
  nodes: [{ id: 'start', type: 'startEvent' }, { id: 'end', type: 'endEvent' }],
  transitions: [{ id: 't1', from: 'start', to: 'end' }],
} as Process;

/** Customers may start it, but its start dialog is offered to agents only: not in the portal. */
const agentDialog: Process = {
  format: 'process/1',
  key: 'agent-dialog',
  name: 'Agent start dialog',
  start: { interfaces: ['agent', 'customer'], dialog: { interfaces: ['agent'], fields: [{ field: 'Title', display: 'shown' }] } },
  nodes: [{ id: 'start', type: 'startEvent' }, { id: 'end', type: 'endEvent' }],
  transitions: [{ id: 't1', from: 'start', to: 'end' }],
} as Process;

const GOOD = 'a good passphrase 1';

describe.each(databaseKinds)('customer portal on %s', (kind) => {
  let h: EngineHelpdesk;
  let logLines: string[] = [];
  const as = (who: string) => h.as[who]!;
  const anon = () => new Client(h.srv.url);

  beforeAll(async () => {
    h = await startEngineHelpdesk(kind);
    // The server's log, to read what development mode writes there.
    h.srv.services.log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, cb) => (logLines.push(String(chunk)), cb()) }));
    await createDynamicField(h.srv, 'Device', 'dropdown', { config: { possibleValues: { laptop: 'Laptop', phone: 'Phone' } } });
    await createDynamicField(h.srv, 'RiskScore', 'integer');
    await h.srv.database.db.updateTable('dynamic_fields').set({ customer_visible: true }).where('name', 'in', ['Device', 'Rating']).execute();
    await deploy(h, portalProcess);
    await deploy(h, agentOnly);
    await deploy(h, agentDialog);
  });
  afterAll(() => h?.close());

  it('serves the portal settings to anyone and lets only administrators change them', async () => {
    const pub = await anon().get('/api/v1/portal/settings');
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ title: 'Help center', registrationEnabled: true, logoUrl: null, colors: { primary: '#2563eb' } });
    expect(pub.body.passwordRules.map((r: any) => r.id)).toEqual(['length', 'letter', 'digit']);
    // The rules are patterns the browser can run: a good password matches all of them, "short" not.
    const rules = pub.body.passwordRules.map((r: any) => new RegExp(r.pattern));
    expect(rules.every((r: RegExp) => r.test(GOOD))).toBe(true);
    expect(rules.filter((r: RegExp) => !r.test('short')).length).toBe(2);

    expect((await as('alice').put('/api/v1/portal/settings', { title: 'Mine' })).status).toBe(403);
    expect((await as('carl').put('/api/v1/portal/settings', { title: 'Mine' })).status).toBe(403);
    const badColour = await as('admin').put('/api/v1/portal/settings', { colors: { primary: 'red' } });
    expect(badColour.status).toBe(400);
    expect(badColour.body.error.path).toBe('/colors/primary');
    const remoteLogo = await as('admin').put('/api/v1/portal/settings', { logoUrl: 'https://evil.example/logo.png' });
    expect(remoteLogo.status).toBe(400);
    expect(remoteLogo.body.error.path).toBe('/logoUrl');

    const logo = `data:image/png;base64,${Buffer.from('not really a png').toString('base64')}`;
    const saved = await as('admin').put('/api/v1/portal/settings', { title: 'ACME Support', colors: { header: '#112233' }, logoUrl: logo });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // Keys not given keep their value (primary colour), the others change.
    expect((await anon().get('/api/v1/portal/settings')).body).toMatchObject({ title: 'ACME Support', logoUrl: logo, colors: { primary: '#2563eb', header: '#112233' } });
  });

  it('registers a customer with the email as login, answering alike for a known address', async () => {
    const weak = await anon().post('/api/v1/auth/customer/register', { email: 'eve@example.com', firstName: 'Eve', lastName: 'Lane', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_RULES', path: '/password' });
    expect(weak.body.error.message).toMatch(/at least 10 characters/);
    const badMail = await anon().post('/api/v1/auth/customer/register', { email: 'not-mail', firstName: 'Eve', lastName: 'Lane', password: GOOD });
    expect(badMail.status).toBe(400);
    expect(badMail.body.error.path).toBe('/email');
    expect(await h.srv.database.db.selectFrom('customer_users').select('id').where('login', '=', 'eve@example.com').executeTakeFirst()).toBeUndefined();

    const first = await anon().post('/api/v1/auth/customer/register', { email: 'Eve@Example.com', firstName: 'Eve', lastName: 'Lane', password: GOOD });
    expect(first.status).toBe(202);
    const eve = new Client(h.srv.url);
    const me = await eve.login('eve@example.com', GOOD, 'customer');
    expect(me.body.user).toMatchObject({ kind: 'customer', login: 'eve@example.com', email: 'eve@example.com', firstName: 'Eve', customerId: 'eve@example.com', companyTickets: false });

    // The same address again: the same answer, and nothing changed (the first password still works).
    const again = await anon().post('/api/v1/auth/customer/register', { email: 'eve@example.com', firstName: 'Mallory', lastName: 'X', password: 'another passphrase 2' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect((await anon().post('/api/v1/auth/customer/login', { login: 'eve@example.com', password: 'another passphrase 2' })).status).toBe(401);
    expect((await new Client(h.srv.url).login('eve@example.com', GOOD, 'customer')).status).toBe(200);

    // Switched off: refused, nothing written.
    expect((await as('admin').put('/api/v1/portal/settings', { registrationEnabled: false })).status).toBe(200);
    const off = await anon().post('/api/v1/auth/customer/register', { email: 'fred@example.com', firstName: 'Fred', lastName: 'F', password: GOOD });
    expect(off.status).toBe(403);
    expect(off.body.error.code).toBe('REGISTRATION_DISABLED');
    expect(await h.srv.database.db.selectFrom('customer_users').select('id').where('login', '=', 'fred@example.com').executeTakeFirst()).toBeUndefined();
    expect((await as('admin').put('/api/v1/portal/settings', { registrationEnabled: true })).status).toBe(200);
  });

  it('limits registrations from one client address within the lock time (429, nothing written)', async () => {
    const config = h.srv.services.config;
    const lock = config.loginLockMinutes * 60_000;
    h.srv.advance(lock + 60_000); // earlier registrations from this address fall out of the window
    config.registrationsPerAddress = 3;
    try {
      const register = (n: number) => anon().post('/api/v1/auth/customer/register', { email: `flood${n}@example.com`, firstName: 'F', lastName: String(n), password: GOOD });
      for (const n of [1, 2, 3]) expect((await register(n)).status).toBe(202);
      const fourth = await register(4);
      expect(fourth.status).toBe(429);
      expect(fourth.body.error.code).toBe('TOO_MANY_REGISTRATIONS');
      expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await h.srv.database.db.selectFrom('customer_users').select('id').where('login', '=', 'flood4@example.com').executeTakeFirst()).toBeUndefined();
      h.srv.advance(lock + 1000);
      expect((await register(5)).status).toBe(202);
    } finally {
      config.registrationsPerAddress = 20;
    }
  });

  it('resets a forgotten password with a one-time link, answering alike for unknown addresses', async () => {
    await anon().post('/api/v1/auth/customer/register', { email: 'gina@example.com', firstName: 'Gina', lastName: 'G', password: GOOD });
    const gina = new Client(h.srv.url);
    await gina.login('gina@example.com', GOOD, 'customer');

    // Outside development the link is not logged.
    logLines = [];
    const known = await anon().post('/api/v1/auth/customer/password-reset', { email: 'gina@example.com' });
    const unknown = await anon().post('/api/v1/auth/customer/password-reset', { email: 'nobody@example.com' });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(logLines.join('')).not.toMatch(/token=/);

    h.srv.services.config.development = true;
    try {
      logLines = [];
      await anon().post('/api/v1/auth/customer/password-reset', { email: 'GINA@example.com' });
    } finally {
      h.srv.services.config.development = false;
    }
    const token = /token=([A-Za-z0-9_-]+)/.exec(logLines.join(''))?.[1];
    expect(token).toBeTruthy();

    const weak = await anon().post('/api/v1/auth/customer/password-reset/confirm', { token, password: 'short' });
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_RULES', path: '/password' });
    const wrong = await anon().post('/api/v1/auth/customer/password-reset/confirm', { token: 'not-a-token', password: 'a new passphrase 3' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'INVALID_TOKEN', path: '/token' });
    const ok = await anon().post('/api/v1/auth/customer/password-reset/confirm', { token, password: 'a new passphrase 3' });
    expect(ok.status).toBe(204);
    // Used once only; the old sessions ended; the new password works, the old one not.
    expect((await anon().post('/api/v1/auth/customer/password-reset/confirm', { token, password: 'a newer passphrase 4' })).body.error.code).toBe('INVALID_TOKEN');
    expect((await gina.get('/api/v1/auth/me')).status).toBe(401);
    expect((await anon().post('/api/v1/auth/customer/login', { login: 'gina@example.com', password: GOOD })).status).toBe(401);
    const back = new Client(h.srv.url);
    await back.login('gina@example.com', 'a new passphrase 3', 'customer');

    // An expired link is refused.
    h.srv.services.config.development = true;
    logLines = [];
    await anon().post('/api/v1/auth/customer/password-reset', { email: 'gina@example.com' });
    h.srv.services.config.development = false;
    const late = /token=([A-Za-z0-9_-]+)/.exec(logLines.join(''))![1];
    h.srv.advance(61 * 60 * 1000);
    expect((await anon().post('/api/v1/auth/customer/password-reset/confirm', { token: late, password: 'a newer passphrase 4' })).body.error.code).toBe('INVALID_TOKEN');

    // Changing it while logged in: the rules apply, the current password is needed.
    const weakChange = await back.post('/api/v1/me/password', { currentPassword: 'a new passphrase 3', newPassword: 'lettersonlyhere' });
    expect(weakChange.body.error).toMatchObject({ code: 'PASSWORD_RULES', path: '/newPassword' });
    expect((await back.post('/api/v1/me/password', { currentPassword: 'nope', newPassword: 'a newer passphrase 4' })).body.error.code).toBe('WRONG_PASSWORD');
    expect((await back.post('/api/v1/me/password', { currentPassword: 'a new passphrase 3', newPassword: 'a newer passphrase 4' })).status).toBe(204);
    expect((await new Client(h.srv.url).login('gina@example.com', 'a newer passphrase 4', 'customer')).status).toBe(200);
  });

  it('makes at most three reset links per address in a while, answering the same to the fourth request', async () => {
    await anon().post('/api/v1/auth/customer/register', { email: 'hank@example.com', firstName: 'Hank', lastName: 'H', password: GOOD });
    const links = async () => {
      logLines = [];
      h.srv.services.config.development = true;
      try {
        const r = await anon().post('/api/v1/auth/customer/password-reset', { email: 'hank@example.com' });
        expect(r.status).toBe(202);
        return { message: r.body.message, token: /token=([A-Za-z0-9_-]+)/.exec(logLines.join(''))?.[1] };
      } finally {
        h.srv.services.config.development = false;
      }
    };
    const first = [await links(), await links(), await links()];
    expect(first.every((l) => l.token)).toBe(true);
    const fourth = await links();
    expect(fourth.message).toBe(first[0]!.message);
    expect(fourth.token).toBeUndefined();
    // After the lock time, links are made again.
    h.srv.advance((h.srv.services.config.loginLockMinutes + 1) * 60_000);
    expect((await links()).token).toBeTruthy();
  });

  it('shows customers only the customer-visible dynamic fields, and lets them set only those', async () => {
    const listed = await as('carl').get('/api/v1/dynamic-fields');
    expect(listed.body.items.map((f: any) => f.name).sort()).toEqual(['Device', 'Rating']);
    expect(listed.body.items[0].customerVisible).toBe(true);
    const risk = (await as('admin').get('/api/v1/dynamic-fields?search=RiskScore')).body.items[0];
    expect(risk.customerVisible).toBe(false);
    expect((await as('carl').get(`/api/v1/dynamic-fields/${risk.id}`)).status).toBe(404);

    const refused = await as('carl').post('/api/v1/tickets', { title: 'Risky', article: { body: 'x' }, dynamicFields: { RiskScore: 5 } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.path).toBe('/dynamicFields/RiskScore');
    const created = await as('carl').post('/api/v1/tickets', { title: 'New phone', article: { body: '<p>Mine <b>broke</b><script>alert(1)</script></p>', contentType: 'text/html' }, dynamicFields: { Device: 'phone' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The rich text keeps its formatting and loses the script.
    const [first] = (await as('carl').get(`/api/v1/tickets/${created.body.id}/articles`)).body.items;
    expect(first.bodyHtml).toContain('<b>broke</b>');
    expect(first.bodyHtml).not.toMatch(/script|alert/);
    // An agent sets the internal score; the customer does not see it, the agent does.
    expect((await as('alice').patch(`/api/v1/tickets/${created.body.id}`, { dynamicFields: { RiskScore: 9 } })).status).toBe(200);
    expect((await as('carl').get(`/api/v1/tickets/${created.body.id}`)).body.dynamicFields).toEqual({ Device: 'phone' });
    expect((await as('alice').get(`/api/v1/tickets/${created.body.id}`)).body.dynamicFields).toMatchObject({ Device: 'phone', RiskScore: 9 });
  });

  it("reopens a closed ticket on a customer's reply, unless its queue refuses follow-ups", async () => {
    const t = (await as('carl').post('/api/v1/tickets', { title: 'Printer', article: { body: 'It jams.' } })).body;
    const close = () => as('alice').patch(`/api/v1/tickets/${t.id}`, { state: 'closed successful' });
    const reply = () => as('carl').post(`/api/v1/tickets/${t.id}/articles`, { body: 'It jams again.' });
    const raw = (await as('admin').get(`/api/v1/queues?search=Raw`)).body.items.find((q: any) => q.name === 'Raw');
    expect(raw.followUp).toBe('possible');

    expect((await close()).status).toBe(200);
    const reopened = await reply();
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(201);
    expect((await as('carl').get(`/api/v1/tickets/${t.id}`)).body.state.name).toBe('open');

    expect((await as('admin').patch(`/api/v1/queues/${raw.id}`, { followUp: 'reject' })).status).toBe(200);
    try {
      expect((await close()).status).toBe(200);
      const refused = await reply();
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('FOLLOW_UP_REJECTED');
      expect((await as('carl').get(`/api/v1/tickets/${t.id}/articles`)).body.items.map((a: any) => a.bodyText)).toEqual(['It jams.', 'It jams again.']);
      expect((await as('carl').get(`/api/v1/tickets/${t.id}`)).body.state.name).toBe('closed successful');
      // An open ticket in that queue still takes replies.
      const other = (await as('carl').post('/api/v1/tickets', { title: 'Scanner', article: { body: 'Slow.' } })).body;
      expect((await as('carl').post(`/api/v1/tickets/${other.id}/articles`, { body: 'Very slow.' })).status).toBe(201);
    } finally {
      await as('admin').patch(`/api/v1/queues/${raw.id}`, { followUp: 'possible' });
    }
  });

  it('lists the processes a customer may start, with the start dialog as a form', async () => {
    const mine = await as('carl').get('/api/v1/process-tickets/startable');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((p: any) => p.key)).toEqual(['device-request']);
    const dialog = mine.body.items[0].dialog;
    expect(dialog.name).toBe('Which device?');
    expect(dialog.fields.map((f: any) => [f.field, f.label, f.type, f.mandatory])).toEqual([
      ['Title', 'What do you need?', 'text', true],
      ['DynamicField_Device', 'Device', 'dropdown', true],
      ['Article', 'Anything else', 'article', false],
    ]);
    // In the admin's order (jsonb would have put the shorter key first).
    expect(dialog.fields[1].allowedValues).toEqual([{ value: 'laptop', label: 'Laptop' }, { value: 'phone', label: 'Phone' }]);
    expect((await as('alice').get('/api/v1/process-tickets/startable')).body.items.map((p: any) => p.key)).toEqual(['agent-only', 'agent-dialog', 'device-request']);
    // A start dialog offered to agents only keeps a process out of the portal, in the list and on start.
    const refused = await as('carl').post('/api/v1/process-tickets', { process: 'agent-dialog', fields: { Title: 'x' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'INTERFACE_NOT_ALLOWED', path: '/process' });
  });

  it('runs a process ticket started from the portal, showing the customer labelled steps only', async () => {
    const missing = await as('carl').post('/api/v1/process-tickets', { process: 'device-request', fields: { Title: 'Laptop please' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.path).toBe('/fields/DynamicField_Device');
    const ticketsBefore = Number((await h.srv.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    const started = await as('carl').post('/api/v1/process-tickets', {
      process: 'device-request',
      fields: { Title: 'Laptop please', DynamicField_Device: 'laptop', Article: { body: 'Mine is from 2015.' } },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(Number((await h.srv.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(ticketsBefore + 1);
    const v = started.body;
    expect(v).toMatchObject({ view: 'customer', processName: 'Device request', status: 'running', dialogs: [] });
    expect(v.steps).toEqual([{ label: 'Request received', state: 'done' }, { label: 'Checked by the service desk', state: 'current' }]);
    const id = v.ticketId;
    // The ticket was made from the dialog: title, the customer's article (once), the field.
    const t = (await as('carl').get(`/api/v1/tickets/${id}`)).body;
    expect(t).toMatchObject({ title: 'Laptop please', dynamicFields: { Device: 'laptop' }, customerUser: { login: 'carl' } });
    const articles = (await as('carl').get(`/api/v1/tickets/${id}/articles`)).body.items;
    expect(articles.map((a: any) => a.bodyText)).toEqual(['Mine is from 2015.']);

    // The agent answers the agents' dialogs and adds an internal note.
    expect((await as('alice').post(`/api/v1/tickets/${id}/dialogs/check`, { fields: { DynamicField_Approved: 'yes' } })).status).toBe(200);
    expect((await as('alice').post(`/api/v1/tickets/${id}/articles`, { channel: 'note', subject: 'Budget', body: 'Cost centre 4711 is over budget' })).status).toBe(201);
    const afterAgent = await as('alice').post(`/api/v1/tickets/${id}/dialogs/internal_budget_step`, { fields: {} });
    expect(afterAgent.status, JSON.stringify(afterAgent.body)).toBe(200);
    expect(afterAgent.body.path).toBeDefined(); // agents keep the full view

    const view = (await as('carl').get(`/api/v1/tickets/${id}/process`)).body;
    expect(view.steps).toEqual([
      { label: 'Request received', state: 'done' },
      { label: 'Checked by the service desk', state: 'done' },
      { label: 'Your confirmation', state: 'current' },
    ]);
    expect(view.dialogs).toEqual([expect.objectContaining({ nodeId: 'confirm', name: 'Your confirmation', submitText: 'Confirm' })]);
    // Nothing internal: no unlabelled node, no gateway name, no path, no incidents.
    const text = JSON.stringify(view);
    for (const secret of ['internal_budget_step', 'gw_secret_routing', 'Budget left?', 'path', 'incidents', 'currentNodes']) expect(text).not.toContain(secret);
    expect(JSON.stringify((await as('carl').get(`/api/v1/tickets/${id}/articles`)).body)).not.toContain('4711');

    // It is in carl's open tickets, without the agents working on it; another customer sees neither it nor its process.
    expect((await as('alice').patch(`/api/v1/tickets/${id}`, { owner: 'alice' })).status).toBe(200);
    expect((await as('alice').get(`/api/v1/tickets/${id}`)).body.owner).toMatchObject({ login: 'alice' });
    const list = (await as('carl').get(`/api/v1/tickets?customerUsers=${h.customers.carl}&stateTypes=open&sort=changed`)).body.items;
    expect(list.find((x: any) => x.id === id)).toMatchObject({ title: 'Laptop please', owner: null, responsible: null });
    expect((await as('dora').get('/api/v1/tickets')).body.items.map((x: any) => x.id)).not.toContain(id);
    expect((await as('dora').get(`/api/v1/tickets/${id}/process`)).status).toBe(404);
    expect((await as('dora').get(`/api/v1/tickets/${id}`)).status).toBe(404);

    const done = await as('carl').post(`/api/v1/tickets/${id}/dialogs/confirm`, { fields: { DynamicField_Rating: 5 } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ view: 'customer', status: 'completed' });
    expect(done.body.completedAt).not.toBeNull();
    expect(done.body.steps.map((s: any) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(done.body.steps.at(-1).label).toBe('Delivered');
  });

  it('refuses start fields for a process without a start dialog', async () => {
    const r = await as('alice').post('/api/v1/process-tickets', { process: 'agent-only', ticket: { title: 'x', queue: 'Support', article: { body: 'x' } }, fields: { Title: 'y' } });
    expect(r.status).toBe(400);
    expect(r.body.error.path).toBe('/fields/Title');
  });
});
