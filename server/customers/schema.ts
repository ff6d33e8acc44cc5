/** JSON Schemas of the customer (company) and customer-user endpoints. Passwords are write-only. */
import { emailSchema, loginSchema, passwordSchema } from '../agents/schema';
import { commentSchema, dateTime, listQueryProperties, nameSchema } from '../catalog/schema';

const text = (max: number) => ({ type: 'string', maxLength: max }) as const;
const counts = {
  openTickets: { type: 'integer', minimum: 0, description: 'tickets not in a closed, merged or removed state (that the caller may see)' },
  closedTickets: { type: 'integer', minimum: 0, description: 'tickets in a closed state (that the caller may see)' },
} as const;

/** A customer id: no slash (it sits in URLs), no leading or trailing blanks. */
export const customerIdSchema = { type: 'string', minLength: 1, maxLength: 150, pattern: '^[^\\s/]([^/]*[^\\s/])?$' } as const;

const companyProps = {
  customerId: { type: 'string' },
  name: { type: 'string' },
  street: { type: 'string' },
  zip: { type: 'string' },
  city: { type: 'string' },
  country: { type: 'string' },
  url: { type: 'string' },
  comment: { type: 'string' },
  valid: { type: 'boolean' },
  createdAt: dateTime,
  changedAt: dateTime,
  ...counts,
} as const;

export const companyView = { type: 'object', additionalProperties: false, required: Object.keys(companyProps), properties: companyProps } as const;

const companyWritable = {
  name: nameSchema,
  street: text(500),
  zip: text(50),
  city: text(200),
  country: text(200),
  url: text(1000),
  comment: commentSchema,
  valid: { type: 'boolean' },
} as const;

export const createCompanyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['customerId', 'name'],
  properties: { customerId: customerIdSchema, ...companyWritable },
} as const;

export const patchCompanyBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: companyWritable } as const;

export interface CompanyBody {
  customerId?: string;
  name?: string;
  street?: string;
  zip?: string;
  city?: string;
  country?: string;
  url?: string;
  comment?: string;
  valid?: boolean;
}

export const companyListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...listQueryProperties, search: { type: 'string', maxLength: 200, description: 'substring of the customer id or name' } },
} as const;

const userProps = {
  id: { type: 'integer' },
  login: { type: 'string' },
  firstName: { type: 'string' },
  lastName: { type: 'string' },
  name: { type: 'string', description: 'first and last name' },
  email: { type: 'string' },
  phone: { type: 'string' },
  customerId: { type: 'string' },
  customerName: { type: ['string', 'null'] },
  valid: { type: 'boolean' },
  loginForbidden: { type: 'boolean' },
  canSeeCompanyTickets: { type: 'boolean' },
  createdAt: dateTime,
  changedAt: dateTime,
  ...counts,
} as const;

export const customerUserView = { type: 'object', additionalProperties: false, required: Object.keys(userProps), properties: userProps } as const;

const userWritable = {
  login: loginSchema,
  firstName: nameSchema,
  lastName: nameSchema,
  email: emailSchema,
  phone: text(100),
  customerId: customerIdSchema,
  password: passwordSchema,
  valid: { type: 'boolean' },
  loginForbidden: { type: 'boolean' },
  canSeeCompanyTickets: { type: 'boolean' },
} as const;

export const createCustomerUserBody = {
  type: 'object',
  additionalProperties: false,
  required: ['login', 'firstName', 'lastName', 'email', 'customerId'],
  properties: userWritable,
} as const;

export const patchCustomerUserBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: userWritable } as const;

export interface CustomerUserBody {
  login?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  customerId?: string;
  password?: string;
  valid?: boolean;
  loginForbidden?: boolean;
  canSeeCompanyTickets?: boolean;
}

export const customerUserListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...listQueryProperties,
    search: { type: 'string', maxLength: 200, description: 'substring of login, name or email' },
    customerId: { type: 'string', maxLength: 150, description: 'only the users of this customer' },
  },
} as const;
