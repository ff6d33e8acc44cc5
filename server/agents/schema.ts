/** JSON Schemas of the agent endpoints. Passwords are accepted on writes and never shown. */
import { dateTime, groupPermissionMap, listQueryProperties, nameSchema, type GroupPermissionMap } from '../catalog/schema';

export const loginSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '^\\S+$' } as const;
export const emailSchema = { type: 'string', format: 'email', maxLength: 300 } as const;
export const passwordSchema = { type: 'string', minLength: 8, maxLength: 1000, description: 'at least 8 characters; stored hashed, never returned' } as const;

const agentProps = {
  id: { type: 'integer' },
  login: { type: 'string' },
  firstName: { type: 'string' },
  lastName: { type: 'string' },
  name: { type: 'string', description: 'first and last name' },
  email: { type: 'string' },
  valid: { type: 'boolean' },
  passwordChangeRequired: { type: 'boolean', description: 'the agent must replace the password an administrator gave at the next login' },
  createdAt: dateTime,
  changedAt: dateTime,
} as const;

export const agentView = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(agentProps),
  properties: agentProps,
} as const;

/** `GET /agents/{id}`: permissions are shown to administrators and to the agent themself. */
export const agentDetailView = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(agentProps),
  properties: {
    ...agentProps,
    isAdmin: { type: 'boolean' },
    groups: { ...groupPermissionMap, description: 'permissions held directly, per group' },
    roles: { type: 'array', items: { type: 'string' } },
    effectivePermissions: { ...groupPermissionMap, description: 'direct and through valid roles, on valid groups' },
  },
} as const;

export const agentListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { ...listQueryProperties, search: { type: 'string', maxLength: 200, description: 'substring of login, name or email' } },
} as const;

const writable = {
  login: loginSchema,
  firstName: nameSchema,
  lastName: nameSchema,
  email: emailSchema,
  password: passwordSchema,
  changePasswordAtLogin: { type: 'boolean', description: 'with `password`: the agent must replace it at the next login (the first-login screen); default false' },
  valid: { type: 'boolean' },
  groups: groupPermissionMap,
  roles: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const createAgentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['login', 'firstName', 'lastName', 'email'],
  properties: writable,
} as const;

export const patchAgentBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: writable } as const;

export interface AgentBody {
  login?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  password?: string;
  changePasswordAtLogin?: boolean;
  valid?: boolean;
  groups?: GroupPermissionMap;
  roles?: string[];
}

/** One agent away today (`GET /agents/out-of-office`). */
export const absenceView = {
  type: 'object',
  additionalProperties: false,
  required: ['agentId', 'from', 'until'],
  properties: { agentId: { type: 'integer' }, from: { type: 'string', format: 'date' }, until: { type: 'string', format: 'date' }, note: { type: 'string' } },
} as const;
