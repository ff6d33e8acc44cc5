/**
 * Rules for customers (companies) and customer users: customer ids and logins are unique (409
 * naming the field), a customer user's company must exist (400 `/customerId`), passwords are stored
 * hashed and never shown, and a company is deleted only while no customer user or ticket refers to
 * it. Views carry open/closed ticket counts over the tickets the caller may see.
 */
import type { Kysely } from 'kysely';
import type { Access } from '../access/access';
import { hashPassword } from '../auth/secrets';
import { resolveCustomerCompany } from '../catalog/resolve';
import { writeTransaction } from '../catalog/transaction';
import type { DB } from '../db/schema';
import { Conflict, NotFound } from '../errors';
import type { Services } from '../services';
import { customerRepo, type CompanyRecord, type Counts, type CustomerUserRecord } from './repo';
import type { CompanyBody, CustomerUserBody } from './schema';

const NONE: Counts = { open: 0, closed: 0 };

function companyView(c: CompanyRecord, n: Counts = NONE) {
  return {
    customerId: c.customer_id,
    name: c.name,
    street: c.street,
    zip: c.zip,
    city: c.city,
    country: c.country,
    url: c.url,
    comment: c.comment,
    valid: c.valid,
    createdAt: c.created_at.toISOString(),
    changedAt: c.changed_at.toISOString(),
    openTickets: n.open,
    closedTickets: n.closed,
  };
}

function userView(u: CustomerUserRecord, n: Counts = NONE) {
  return {
    id: u.id,
    login: u.login,
    firstName: u.first_name,
    lastName: u.last_name,
    name: `${u.first_name} ${u.last_name}`.trim(),
    email: u.email,
    phone: u.phone,
    customerId: u.customer_id,
    customerName: u.customer_name,
    valid: u.valid,
    loginForbidden: u.login_forbidden,
    canSeeCompanyTickets: u.can_see_company_tickets,
    createdAt: u.created_at.toISOString(),
    changedAt: u.changed_at.toISOString(),
    openTickets: n.open,
    closedTickets: n.closed,
  };
}

export type CompanyView = ReturnType<typeof companyView>;
export type CustomerUserView = ReturnType<typeof userView>;

export class CustomerService {
  private readonly db: Kysely<DB>;

  constructor(private readonly services: Services) {
    this.db = services.database.db;
  }

  async companyViews(rows: CompanyRecord[], access: Access): Promise<CompanyView[]> {
    const counts = await customerRepo.ticketCounts(this.db, 'customer_id', rows.map((r) => r.customer_id), await access.ticketFilter('t'));
    return rows.map((r) => companyView(r, counts.get(r.customer_id)));
  }

  async userViews(rows: CustomerUserRecord[], access: Access): Promise<CustomerUserView[]> {
    const counts = await customerRepo.ticketCounts(this.db, 'customer_user_id', rows.map((r) => r.id), await access.ticketFilter('t'));
    return rows.map((r) => userView(r, counts.get(r.id)));
  }

  async company(customerId: string, access: Access): Promise<CompanyView> {
    const c = await customerRepo.company(this.db, customerId);
    if (!c) throw new NotFound('customer');
    return (await this.companyViews([c], access))[0]!;
  }

  async user(id: number, access: Access): Promise<CustomerUserView> {
    const u = await customerRepo.user(this.db, id);
    if (!u) throw new NotFound('customer user');
    return (await this.userViews([u], access))[0]!;
  }

  async createCompany(body: CompanyBody & { customerId: string; name: string }): Promise<void> {
    const duplicate = { message: `a customer with the id "${body.customerId}" already exists`, path: '/customerId' };
    await writeTransaction(
      this.db,
      async (trx) => {
        if (await customerRepo.company(trx, body.customerId)) throw new Conflict(duplicate.message, duplicate.path, 'DUPLICATE');
        const { customerId, ...rest } = body;
        await trx
          .insertInto('customer_companies')
          .values({ customer_id: customerId, ...rest, created_at: this.services.now(), changed_at: this.services.now() })
          .execute();
      },
      duplicate,
    );
  }

  async updateCompany(customerId: string, patch: CompanyBody): Promise<void> {
    const { customerId: _ignored, ...rest } = patch;
    const r = await this.db
      .updateTable('customer_companies')
      .set({ ...rest, changed_at: this.services.now() })
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw new NotFound('customer');
  }

  async deleteCompany(customerId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await customerRepo.company(trx, customerId))) throw new NotFound('customer');
      const users = await customerRepo.countUsersOf(trx, customerId);
      const tickets = await customerRepo.countTicketsOf(trx, 'customer_id', customerId);
      if (users || tickets) {
        throw new Conflict(
          `customer "${customerId}" has ${users} customer user(s) and ${tickets} ticket(s); set "valid": false to retire it instead`,
          undefined,
          'IN_USE',
        );
      }
      await trx.deleteFrom('customer_companies').where('customer_id', '=', customerId).execute();
    });
  }

  async createUser(body: CustomerUserBody & { login: string; firstName: string; lastName: string; email: string; customerId: string }): Promise<number> {
    const passwordHash = body.password ? await hashPassword(body.password) : null;
    const duplicate = { message: `a customer user with the login "${body.login}" already exists`, path: '/login' };
    return writeTransaction(
      this.db,
      async (trx) => {
        await resolveCustomerCompany(trx, body.customerId, '/customerId');
        if (await customerRepo.userIdByLogin(trx, body.login)) throw new Conflict(duplicate.message, duplicate.path, 'DUPLICATE');
        const row = await trx
          .insertInto('customer_users')
          .values({
            login: body.login,
            first_name: body.firstName,
            last_name: body.lastName,
            email: body.email,
            phone: body.phone ?? '',
            customer_id: body.customerId,
            password_hash: passwordHash,
            valid: body.valid ?? true,
            login_forbidden: body.loginForbidden ?? false,
            can_see_company_tickets: body.canSeeCompanyTickets ?? true,
            created_at: this.services.now(),
            changed_at: this.services.now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id;
      },
      duplicate,
    );
  }

  async updateUser(id: number, b: CustomerUserBody): Promise<void> {
    const passwordHash = b.password ? await hashPassword(b.password) : undefined;
    const duplicate = { message: `a customer user with the login "${b.login}" already exists`, path: '/login' };
    await writeTransaction(
      this.db,
      async (trx) => {
        if (!(await customerRepo.user(trx, id))) throw new NotFound('customer user');
        if (b.customerId !== undefined) await resolveCustomerCompany(trx, b.customerId, '/customerId');
        if (b.login !== undefined) {
          const other = await customerRepo.userIdByLogin(trx, b.login);
          if (other && other.id !== id) throw new Conflict(duplicate.message, duplicate.path, 'DUPLICATE');
        }
        await trx
          .updateTable('customer_users')
          .set({
            ...(b.login !== undefined && { login: b.login }),
            ...(b.firstName !== undefined && { first_name: b.firstName }),
            ...(b.lastName !== undefined && { last_name: b.lastName }),
            ...(b.email !== undefined && { email: b.email }),
            ...(b.phone !== undefined && { phone: b.phone }),
            ...(b.customerId !== undefined && { customer_id: b.customerId }),
            ...(passwordHash !== undefined && { password_hash: passwordHash }),
            ...(b.valid !== undefined && { valid: b.valid }),
            ...(b.loginForbidden !== undefined && { login_forbidden: b.loginForbidden }),
            ...(b.canSeeCompanyTickets !== undefined && { can_see_company_tickets: b.canSeeCompanyTickets }),
            changed_at: this.services.now(),
          })
          .where('id', '=', id)
          .execute();
      },
      duplicate,
    );
  }
}
