/** JSON Schemas of the permission matrix in group and role views and of its PUT bodies. */
import { groupPermissionMap, permissionList, type GroupPermissionMap } from '../catalog/schema';

const ref = (nameProp: 'name' | 'login') =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['id', nameProp],
    properties: { id: { type: 'integer' }, [nameProp]: { type: 'string' } },
  }) as const;

const withPermissions = (nameProp: 'name' | 'login') =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['id', nameProp, 'permissions'],
    properties: { id: { type: 'integer' }, [nameProp]: { type: 'string' }, permissions: permissionList },
  }) as const;

/** What `GET /groups/{id}` adds: its queues, and who holds which permissions on it. */
export const groupDetail = {
  queues: { type: 'array', items: ref('name') },
  roles: { type: 'array', items: withPermissions('name'), description: 'roles holding permissions on this group' },
  agents: { type: 'array', items: withPermissions('login'), description: 'agents holding permissions on this group directly' },
};

/** What `GET /roles/{id}` adds: its permissions per group, and its agents. */
export const roleDetail = {
  permissions: { ...groupPermissionMap, description: 'permissions per group name' },
  agents: { type: 'array', items: ref('login') },
};

export const permissionsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['groups'],
  properties: { groups: groupPermissionMap },
} as const;

export interface PermissionsBody {
  groups: GroupPermissionMap;
}

export const rolesBody = {
  type: 'object',
  additionalProperties: false,
  required: ['roles'],
  properties: { roles: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 200 } } },
} as const;

export interface RolesBody {
  roles: string[];
}
