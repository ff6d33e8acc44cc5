/**
 * `/api/v1/customers` (companies, addressed by their customer id) and `/api/v1/customer-users`:
 * agents list and read them with open/closed ticket counts; administrators create and change them
 * (`"valid": false` retires one). A company nothing refers to can be deleted; customer users are
 * retired, never deleted (tickets and articles refer to them). Customer users get 403 here.
 */
import { listOf, rowIdSchema, type ListQuery } from '../catalog/schema';
import { ApiRouter, reply } from '../http/api';
import { customerRepo } from './repo';
import {
  companyListQuery,
  companyView,
  createCompanyBody,
  createCustomerUserBody,
  customerIdSchema,
  customerUserListQuery,
  customerUserView,
  patchCompanyBody,
  patchCustomerUserBody,
  type CompanyBody,
  type CustomerUserBody,
} from './schema';
import { CustomerService } from './service';

export function companyRouter(): ApiRouter {
  const api = new ApiRouter('/customers', 'Customers');
  const params = { id: customerIdSchema };

  api.get<unknown, ListQuery>(
    '/',
    { summary: 'List customers (companies), with ticket counts', auth: 'agent', query: companyListQuery, responses: { 200: listOf(companyView) } },
    async (c, { query }) => {
      const access = c.get('access');
      access.requireAgent();
      const { rows, total } = await customerRepo.listCompanies(c.get('services').database.db, query);
      return { items: await new CustomerService(c.get('services')).companyViews(rows, access), total, page: query.page, perPage: query.perPage };
    },
  );

  api.get<{ id: string }>(
    '/:id',
    { summary: 'Get a customer by its customer id, with ticket counts', auth: 'agent', params, responses: { 200: companyView } },
    async (c, { params }) => {
      const access = c.get('access');
      access.requireAgent();
      return new CustomerService(c.get('services')).company(params.id, access);
    },
  );

  api.post<unknown, unknown, CompanyBody & { customerId: string; name: string }>(
    '/',
    { summary: 'Create a customer (company)', auth: 'admin', body: createCompanyBody, responses: { 201: companyView } },
    async (c, { body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new CustomerService(c.get('services'));
      await svc.createCompany(body);
      return reply(201, await svc.company(body.customerId, access));
    },
  );

  api.patch<{ id: string }, unknown, CompanyBody>(
    '/:id',
    { summary: 'Change a customer (`"valid": false` retires it)', auth: 'admin', params, body: patchCompanyBody, responses: { 200: companyView } },
    async (c, { params, body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new CustomerService(c.get('services'));
      await svc.updateCompany(params.id, body);
      return svc.company(params.id, access);
    },
  );

  api.delete<{ id: string }>(
    '/:id',
    { summary: 'Delete a customer that has no customer users and no tickets', auth: 'admin', params, responses: { 204: null } },
    async (c, { params }) => {
      await c.get('access').assertAdmin();
      await new CustomerService(c.get('services')).deleteCompany(params.id);
      return reply(204, null);
    },
  );

  return api;
}

export function customerUserRouter(): ApiRouter {
  const api = new ApiRouter('/customer-users', 'Customer users');

  api.get<unknown, ListQuery & { customerId?: string }>(
    '/',
    {
      summary: 'List customer users (`?search=` on login, name and email; `?customerId=`), with ticket counts',
      auth: 'agent',
      query: customerUserListQuery,
      responses: { 200: listOf(customerUserView) },
    },
    async (c, { query }) => {
      const access = c.get('access');
      access.requireAgent();
      const { rows, total } = await customerRepo.listUsers(c.get('services').database.db, query);
      return { items: await new CustomerService(c.get('services')).userViews(rows, access), total, page: query.page, perPage: query.perPage };
    },
  );

  api.get<{ id: number }>(
    '/:id',
    { summary: 'Get a customer user, with ticket counts', auth: 'agent', params: { id: rowIdSchema }, responses: { 200: customerUserView } },
    async (c, { params }) => {
      const access = c.get('access');
      access.requireAgent();
      return new CustomerService(c.get('services')).user(params.id, access);
    },
  );

  api.post<unknown, unknown, CustomerUserBody & { login: string; firstName: string; lastName: string; email: string; customerId: string }>(
    '/',
    { summary: 'Create a customer user (its customer must exist)', auth: 'admin', body: createCustomerUserBody, responses: { 201: customerUserView } },
    async (c, { body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new CustomerService(c.get('services'));
      const id = await svc.createUser(body);
      return reply(201, await svc.user(id, access));
    },
  );

  api.patch<{ id: number }, unknown, CustomerUserBody>(
    '/:id',
    {
      summary: 'Change a customer user (`"valid": false` retires it)',
      auth: 'admin',
      params: { id: rowIdSchema },
      body: patchCustomerUserBody,
      responses: { 200: customerUserView },
    },
    async (c, { params, body }) => {
      const access = c.get('access');
      await access.assertAdmin();
      const svc = new CustomerService(c.get('services'));
      await svc.updateUser(params.id, body);
      return svc.user(params.id, access);
    },
  );

  return api;
}
