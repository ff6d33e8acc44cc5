/** JSON Schemas of the authentication endpoints' request and response bodies. */

export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['login', 'password'],
  properties: {
    login: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', minLength: 1, maxLength: 1000 },
  },
} as const;

export interface LoginBody {
  login: string;
  password: string;
}

export const createTokenBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

export interface CreateTokenBody {
  name?: string;
  expiresAt?: string;
}

export const agentView = {
  type: 'object',
  required: ['kind', 'id', 'login', 'firstName', 'lastName', 'email', 'isAdmin'],
  properties: {
    kind: { const: 'agent' },
    id: { type: 'integer' },
    login: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    email: { type: 'string' },
    isAdmin: { type: 'boolean' },
  },
} as const;

export const customerUserView = {
  type: 'object',
  required: ['kind', 'id', 'login', 'firstName', 'lastName', 'email', 'customerId'],
  properties: {
    kind: { const: 'customer' },
    id: { type: 'integer' },
    login: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    email: { type: 'string' },
    customerId: { type: 'string' },
  },
} as const;
