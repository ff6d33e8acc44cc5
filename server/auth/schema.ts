/** JSON Schemas of the authentication endpoints' request and response bodies. */

export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['login', 'password'],
  properties: {
    login: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', minLength: 1, maxLength: 1000 },
    code: { type: 'string', minLength: 1, maxLength: 20, description: 'the second factor, when the login has one: a TOTP code (or a recovery code)' },
    recoveryCode: { type: 'string', minLength: 1, maxLength: 20 },
    rememberDevice: { type: 'boolean', description: 'remember this browser for the days the two-factor policy allows' },
  },
} as const;

export interface LoginBody {
  login: string;
  password: string;
  code?: string;
  recoveryCode?: string;
  rememberDevice?: boolean;
}

/** The answer to a right password when a second factor (or setting one up) comes next. */
export const secondFactorView = {
  type: 'object',
  additionalProperties: false,
  required: ['secondFactor'],
  properties: {
    secondFactor: {
      type: 'object',
      additionalProperties: false,
      required: ['challenge', 'expiresAt', 'setup', 'method', 'rememberDays'],
      properties: {
        challenge: { type: 'string', description: 'for POST /auth/login/verify (or the setup steps), valid ten minutes' },
        expiresAt: { type: 'string', format: 'date-time' },
        setup: { type: 'boolean', description: 'the policy requires a second factor and this user has none yet: set one up now' },
        method: { enum: ['totp', 'email', null], description: 'email: a code has just been mailed' },
        rememberDays: { type: 'integer', description: 'days the browser may be remembered (rememberDevice); 0: not offered' },
      },
    },
  },
} as const;

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
    passwordChangeRequired: { type: 'boolean', description: 'the agent must replace the password an administrator gave (`POST /me/password`) before anything else' },
  },
} as const;

export const customerUserView = {
  type: 'object',
  required: ['kind', 'id', 'login', 'firstName', 'lastName', 'email', 'customerId', 'companyTickets'],
  properties: {
    kind: { const: 'customer' },
    id: { type: 'integer' },
    login: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    email: { type: 'string' },
    customerId: { type: 'string' },
    companyTickets: { type: 'boolean', description: "may see the company's tickets, not only their own" },
    language: { type: ['string', 'null'], description: 'chosen interface and mail language (`PUT /me/language`); null: the browser\'s' },
  },
} as const;

const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const sessionView = (user: object) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['user', 'csrfToken', 'expiresAt'],
    properties: { user, csrfToken: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
  }) as const;

export const meView = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'via', 'csrfToken'],
  properties: {
    user: { oneOf: [agentView, customerUserView] },
    via: { enum: ['session', 'token'] },
    csrfToken: { type: ['string', 'null'] },
  },
} as const;

export const tokenView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'prefix', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'first characters of the token, to tell tokens apart' },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: nullableDateTime,
    lastUsedAt: nullableDateTime,
    revokedAt: nullableDateTime,
  },
} as const;

export const tokenListView = {
  type: 'object',
  additionalProperties: false,
  required: ['tokens'],
  properties: { tokens: { type: 'array', items: tokenView } },
} as const;

export const tokenCreatedView = {
  ...tokenView,
  required: [...tokenView.required, 'token'],
  properties: { ...tokenView.properties, token: { type: 'string', description: 'shown only in this answer' } },
} as const;

export const sessionListView = {
  type: 'object',
  additionalProperties: false,
  required: ['sessions'],
  properties: {
    sessions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'current', 'createdAt', 'lastSeenAt', 'expiresAt', 'userAgent', 'remoteAddr'],
        properties: {
          id: { type: 'string', description: 'names the session for DELETE /auth/sessions/{id}' },
          current: { type: 'boolean', description: 'the session of this request' },
          createdAt: { type: 'string', format: 'date-time' },
          lastSeenAt: { type: 'string', format: 'date-time' },
          expiresAt: { type: 'string', format: 'date-time' },
          userAgent: { type: 'string' },
          remoteAddr: { type: 'string' },
        },
      },
    },
  },
} as const;
