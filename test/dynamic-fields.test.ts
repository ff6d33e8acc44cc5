/**
 * Dynamic field definitions as an administrator manages them: configuration checked per type with
 * the path of each problem, a type that cannot change once values exist, deletion only without
 * values, and internal fields hidden from everyone but administrators. Runs on PGlite, and on
 * PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from './support/server';
import { startTestServer, type TestServer } from './support/server';
import { createAgent, createCustomerUser } from './support/fixtures';
import { databaseKinds } from './support/db';
import { insertTicket, loggedIn, patch } from './support/catalog';

describe.each(databaseKinds)('dynamic fields on %s', (kind) => {
  let srv: TestServer;
  let admin: Client;

  beforeAll(async () => {
    srv = await startTestServer(kind);
    await createAgent(srv.database.db, 'plain', 'plain-pw');
    await createCustomerUser(srv.database.db, 'dcust', 'dcust-pw');
    admin = await loggedIn(srv);
  });
  afterAll(() => srv?.close());

  const create = (body: Record<string, unknown>) => admin.post('/api/v1/dynamic-fields', body);

  it('creates a dropdown with its value schema', async () => {
    const res = await create({
      name: 'Approved',
      label: 'Approved?',
      fieldType: 'dropdown',
      config: { possibleValues: { yes: 'Yes', no: 'No' }, defaultValue: 'no' },
      fieldOrder: 2,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Approved',
      fieldType: 'dropdown',
      objectType: 'ticket',
      internal: false,
      valid: true,
      fieldOrder: 2,
      config: { possibleValues: { yes: 'Yes', no: 'No' }, defaultValue: 'no' },
    });
    // jsonb keeps keys in its own order, so the enum's order is not asserted.
    expect(res.body.valueSchema.anyOf[1].enum.sort()).toEqual(['no', 'yes']);
  });

  it('names the path of each configuration problem', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ fieldType: 'dropdown', config: {} }, '/config/possibleValues'],
      [{ fieldType: 'multiselect', config: { possibleValues: {} } }, '/config/possibleValues'],
      [{ fieldType: 'dropdown', config: { possibleValues: { a: 'A' }, defaultValue: 'b' } }, '/config/defaultValue'],
      [{ fieldType: 'text', config: { regex: '([' } }, '/config/regex'],
      [{ fieldType: 'integer', config: { min: 10, max: 1 } }, '/config/min'],
      [{ fieldType: 'integer', config: { min: 1, max: 10, defaultValue: 42 } }, '/config/defaultValue'],
      [{ fieldType: 'checkbox', config: { possibleValues: { a: 'A' } } }, '/config/possibleValues'],
      [{ fieldType: 'text', config: { colour: 'red' } }, '/config/colour'],
      [{ fieldType: 'date', config: { defaultValue: 'tomorrow' } }, '/config/defaultValue'],
      [{ fieldType: 'spreadsheet' }, '/fieldType'],
    ];
    for (const [body, path] of cases) {
      const res = await create({ name: 'Broken', label: 'Broken', ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.path, JSON.stringify(body)).toBe(path);
    }
    expect((await create({ name: 'Has_Underscore', label: 'x', fieldType: 'text' })).body.error.path).toBe('/name');
    expect((await admin.get('/api/v1/dynamic-fields?search=Broken')).body.total).toBe(0);
  });

  it('refuses a duplicate name with 409 on /name', async () => {
    const res = await create({ name: 'Approved', label: 'again', fieldType: 'text' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'DUPLICATE', path: '/name' });
  });

  it('changes the type while no values exist, and refuses it once they do', async () => {
    const f = (await create({ name: 'Days', label: 'Days', fieldType: 'text' })).body;
    const retyped = await patch(admin, `/api/v1/dynamic-fields/${f.id}`, { fieldType: 'integer', config: { min: 0, max: 30 } });
    expect(retyped.status).toBe(200);
    expect(retyped.body).toMatchObject({ fieldType: 'integer', config: { min: 0, max: 30 } });
    const badConfig = await patch(admin, `/api/v1/dynamic-fields/${f.id}`, { config: { min: 5, max: 1 } });
    expect(badConfig.body.error.path).toBe('/config/min');
    const ticket = await insertTicket(srv.database.db, { state: 'new' });
    await srv.database.db.insertInto('dynamic_field_values').values({ field_id: f.id, object_id: ticket, value: '5', value_num: 5 }).execute();
    const res = await patch(admin, `/api/v1/dynamic-fields/${f.id}`, { fieldType: 'text', config: {} });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'IN_USE', path: '/fieldType' });
    expect((await patch(admin, `/api/v1/dynamic-fields/${f.id}`, { label: 'Vacation days' })).body.label).toBe('Vacation days');
    const del = await admin.delete(`/api/v1/dynamic-fields/${f.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('"valid": false');
    expect((await patch(admin, `/api/v1/dynamic-fields/${f.id}`, { valid: false })).body.valid).toBe(false);
  });

  it('deletes a field without values', async () => {
    const f = (await create({ name: 'Scratch', label: 'Scratch', fieldType: 'checkbox', config: { defaultValue: false } })).body;
    expect((await admin.delete(`/api/v1/dynamic-fields/${f.id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/dynamic-fields/${f.id}`)).status).toBe(404);
  });

  it('shows internal fields only to administrators who ask for them', async () => {
    const f = (await create({ name: 'ProcessState', label: 'Process state', fieldType: 'text', internal: true })).body;
    const names = async (c: Client, q = '') => (await c.get(`/api/v1/dynamic-fields${q}`)).body.items.map((x: any) => x.name);
    expect(await names(admin)).not.toContain('ProcessState');
    expect(await names(admin, '?includeInternal=true')).toContain('ProcessState');
    expect((await admin.get(`/api/v1/dynamic-fields/${f.id}`)).status).toBe(200);
    const plain = await loggedIn(srv, 'plain', 'plain-pw');
    expect(await names(plain)).toEqual(['Days', 'Approved']); // by fieldOrder (0, 2)
    expect((await plain.get('/api/v1/dynamic-fields?includeInternal=true')).status).toBe(403);
    expect((await plain.get(`/api/v1/dynamic-fields/${f.id}`)).status).toBe(404);
    // Customers see the customer-visible fields only (none until an admin marks one).
    const cust = await loggedIn(srv, 'dcust', 'dcust-pw', 'customer');
    expect(await names(cust)).toEqual([]);
    const approved = (await admin.get('/api/v1/dynamic-fields?search=Approved')).body.items[0];
    expect(approved.customerVisible).toBe(false);
    const marked = await admin.request('PATCH', `/api/v1/dynamic-fields/${approved.id}`, { customerVisible: true });
    expect(marked.body.customerVisible).toBe(true);
    expect(await names(cust)).toEqual(['Approved']);
    expect((await cust.get(`/api/v1/dynamic-fields/${approved.id}`)).status).toBe(200);
    expect(await names(admin, '?objectType=article')).toEqual([]);
  });
});
