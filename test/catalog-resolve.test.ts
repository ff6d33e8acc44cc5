/**
 * The reference resolver maps ids and names to rows, answers unknown ones with a 400 naming the path
 * and the value, and lists every missing name at once for the process importer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findMissing,
  resolveAgent,
  resolveCustomerCompany,
  resolveCustomerUser,
  resolveDynamicField,
  resolvePriority,
  resolveQueue,
  resolveService,
  resolveSla,
  resolveState,
  resolveType,
} from '../server/catalog/resolve';
import { createAgent, createCustomerUser, createQueue } from './support/fixtures';
import { createTestDatabase, databaseKinds, type TestDatabase } from './support/db';

describe.each(databaseKinds)('reference resolver on %s', (kind) => {
  let database: TestDatabase;
  let salesEurope: number;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const db = database.db;
    await createQueue(db, 'Sales', 'sales');
    salesEurope = await createQueue(db, 'Sales::Europe', 'sales');
    await createAgent(db, 'jdoe', 'secret-pw');
    await createCustomerUser(db, 'cu1', 'secret-pw', { customerId: 'ACME' });
    await db.insertInto('services').values({ name: 'IT' }).execute();
    await db.insertInto('slas').values({ name: 'Gold', first_response_minutes: 60, update_minutes: null, solution_minutes: 480 }).execute();
    await db.insertInto('ticket_types').values({ name: 'Retired', valid: false }).execute();
    await db
      .insertInto('dynamic_fields')
      .values({ name: 'Approved', label: 'Approved', field_type: 'checkbox', object_type: 'ticket', config: '{}' })
      .execute();
  });
  afterAll(() => database?.close());

  it('finds rows by id and by name', async () => {
    const db = database.db;
    expect((await resolveQueue(db, { name: 'Sales::Europe' }, '/queue')).id).toBe(salesEurope);
    expect((await resolveQueue(db, { id: salesEurope }, '/queueId')).name).toBe('Sales::Europe');
    const state = await resolveState(db, { name: 'pending reminder' }, '/state');
    expect(state.type_name).toBe('pending reminder');
    expect((await resolvePriority(db, { name: '3 normal' }, '/priority')).name).toBe('3 normal');
    expect((await resolveType(db, { name: 'Unclassified' }, '/type')).valid).toBe(true);
    expect((await resolveService(db, { name: 'IT' }, '/service')).name).toBe('IT');
    expect((await resolveSla(db, { name: 'Gold' }, '/sla')).solution_minutes).toBe(480);
    expect((await resolveCustomerCompany(db, 'ACME', '/customerId')).name).toBe('ACME Ltd.');
    expect((await resolveDynamicField(db, { name: 'DynamicField_Approved' }, '/field')).field_type).toBe('checkbox');
  });

  it('never returns password hashes of agents and customer users', async () => {
    const agent = await resolveAgent(database.db, { name: 'jdoe' }, '/owner');
    expect(agent.login).toBe('jdoe');
    expect(agent).not.toHaveProperty('password_hash');
    const cu = await resolveCustomerUser(database.db, { name: 'cu1' }, '/customerUser');
    expect(cu.customer_id).toBe('ACME');
    expect(cu).not.toHaveProperty('password_hash');
  });

  it('answers unknown names and ids with a 400 naming the path and the value', async () => {
    const db = database.db;
    await expect(resolveQueue(db, { name: 'Nope' }, '/queue')).rejects.toMatchObject({
      status: 400,
      code: 'UNKNOWN_REFERENCE',
      path: '/queue',
      message: 'unknown queue "Nope"',
    });
    const paths = { id: '/ownerId', name: '/owner' };
    await expect(resolveAgent(db, { id: 999999 }, paths)).rejects.toMatchObject({ status: 400, path: '/ownerId', message: 'unknown agent id 999999' });
    await expect(resolveAgent(db, { name: 'ghost' }, paths)).rejects.toMatchObject({ status: 400, path: '/owner' });
    await expect(resolveQueue(db, { id: 99_999_999_999 }, '/queueId')).rejects.toMatchObject({ status: 400, code: 'UNKNOWN_REFERENCE' });
    await expect(resolveCustomerCompany(db, 'NOPE', '/customerId')).rejects.toMatchObject({ status: 400, path: '/customerId' });
    await expect(resolveQueue(db, {}, '/queue')).rejects.toMatchObject({ status: 400, code: 'MISSING_REFERENCE' });
  });

  it('refuses an id and a name that disagree, and retired entries when asked to', async () => {
    const db = database.db;
    await expect(resolveQueue(db, { id: salesEurope, name: 'Sales' }, { id: '/queueId', name: '/queue' })).rejects.toMatchObject({
      status: 400,
      code: 'REFERENCE_MISMATCH',
      path: '/queue',
    });
    expect((await resolveType(db, { name: 'Retired' }, '/type')).valid).toBe(false);
    await expect(resolveType(db, { name: 'Retired' }, '/type', { requireValid: true })).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_REFERENCE',
    });
  });

  it('lists every missing name per kind at once', async () => {
    const missing = await findMissing(database.db, {
      queue: ['Sales', 'Sales::Europe', 'Sales::Asia', 'Sales::Asia'],
      state: ['open', 'waiting'],
      agent: ['jdoe'],
      dynamicField: ['DynamicField_Approved', 'DynamicField_Days', 'Reason'],
      customerCompany: ['ACME', 'Globex'],
      role: [],
    });
    expect(missing).toEqual({
      queue: ['Sales::Asia'],
      state: ['waiting'],
      dynamicField: ['DynamicField_Days', 'Reason'],
      customerCompany: ['Globex'],
    });
    expect(await findMissing(database.db, { queue: ['Raw'], priority: ['3 normal'] })).toEqual({});
  });
});
