/** JSON Schemas of the chat API: what clients send and what they get back. */
import { idSchema } from '../http/api';

const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const nint = { type: ['integer', 'null'] } as const;

export const messageInput = {
  type: 'object',
  additionalProperties: false,
  required: ['body'],
  properties: {
    body: { type: 'string', maxLength: 100_000, description: 'at most 4,000 characters (413 `MESSAGE_TOO_LONG` beyond)' },
    format: { enum: ['text', 'html'], default: 'text', description: '`html`: rich text, sanitised (scripts, handlers, frames removed)' },
  },
} as const;

export const messageView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'chatId', 'sender', 'agentId', 'senderName', 'html', 'text', 'createdAt'],
  properties: { id: int, chatId: int, sender: { enum: ['agent', 'customer', 'visitor', 'system'] }, agentId: nint, senderName: str, html: str, text: str, createdAt: str },
} as const;

export const messageList = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: messageView } } } as const;

export const chatView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'channelId', 'channelName', 'origin', 'state', 'topic', 'requester', 'customerUserId', 'visitorName', 'visitorEmail', 'participants', 'ticketId', 'createdAt', 'acceptedAt', 'closedAt', 'lastMessageId', 'unread'],
  properties: {
    id: int,
    channelId: nint,
    channelName: nstr,
    origin: { enum: ['agent', 'customer', 'public'] },
    state: { enum: ['request', 'active', 'closed'] },
    topic: str,
    requester: str,
    customerUserId: nint,
    visitorName: nstr,
    visitorEmail: nstr,
    participants: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['agentId', 'login', 'name', 'state'], properties: { agentId: int, login: str, name: str, state: { enum: ['invited', 'joined', 'left'] } } },
    },
    ticketId: nint,
    createdAt: str,
    acceptedAt: nstr,
    closedAt: nstr,
    lastMessageId: int,
    unread: int,
  },
} as const;

export const chatList = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: chatView } } } as const;

export const startBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    agentId: { ...idSchema, description: 'agents: chat with this agent (a request to them)' },
    customerUserId: { ...idSchema, description: 'agents: chat with this customer user' },
    channelId: { ...idSchema, description: 'the channel (default: the default channel)' },
    topic: { type: 'string', maxLength: 200 },
    message: messageInput,
  },
} as const;

export interface StartBody {
  agentId?: number;
  customerUserId?: number;
  channelId?: number;
  topic?: string;
  message?: { body: string; format?: 'text' | 'html' };
}

export const publicStartBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email', 'message'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', minLength: 3, maxLength: 254 },
    channelId: idSchema,
    topic: { type: 'string', maxLength: 200 },
    message: messageInput,
  },
} as const;

export interface PublicStartBody {
  name: string;
  email: string;
  channelId?: number;
  topic?: string;
  message: { body: string; format?: 'text' | 'html' };
}

export const publicStartView = { type: 'object', additionalProperties: false, required: ['chat', 'token'], properties: { chat: chatView, token: str } } as const;

export const afterQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: { type: 'integer', minimum: 0, default: 0, description: 'the last message id the client has; answers the ones after it' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 200 },
  },
} as const;
export interface AfterQuery {
  after: number;
  limit: number;
}

export const stateQuery = { type: 'object', additionalProperties: false, properties: { state: { enum: ['request', 'active', 'closed'] } } } as const;

export const readBody = { type: 'object', additionalProperties: false, required: ['lastId'], properties: { lastId: { type: 'integer', minimum: 0 } } } as const;
export const inviteBody = { type: 'object', additionalProperties: false, required: ['agentId'], properties: { agentId: idSchema } } as const;
export const transferBody = { type: 'object', additionalProperties: false, required: ['channelId'], properties: { channelId: idSchema } } as const;
export const ticketBody = {
  type: 'object',
  additionalProperties: false,
  properties: { queue: { type: 'string', maxLength: 200 }, queueId: idSchema, title: { type: 'string', maxLength: 255 } },
} as const;
export const appendBody = { type: 'object', additionalProperties: false, required: ['ticketId'], properties: { ticketId: idSchema } } as const;
export const appendView = { type: 'object', additionalProperties: false, required: ['articleId'], properties: { articleId: int } } as const;

export const availabilityView = {
  type: 'object',
  additionalProperties: false,
  required: ['availability', 'status', 'channelIds'],
  properties: { availability: { enum: ['unavailable', 'internal', 'external'] }, status: { enum: ['online', 'away'] }, channelIds: { type: 'array', items: int } },
} as const;
export const availabilityBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    availability: { enum: ['unavailable', 'internal', 'external'], description: 'not available / internal (agents and customer users) / internal and external (public visitors too)' },
    status: { enum: ['online', 'away'] },
    channelIds: { type: 'array', maxItems: 200, items: idSchema, description: '"My chat channels": whose requests you get (empty: all you may see)' },
  },
} as const;

export const channelView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'groupId', 'isDefault', 'valid', 'agentsAvailable'],
  properties: { id: int, name: str, groupId: int, isDefault: { type: 'boolean' }, valid: { type: 'boolean' }, agentsAvailable: int },
} as const;
export const channelList = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: channelView } } } as const;
export const channelBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'groupId'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, groupId: idSchema, isDefault: { type: 'boolean' } },
} as const;

export const publicStatusView = {
  type: 'object',
  additionalProperties: false,
  required: ['available', 'channels'],
  properties: {
    available: { type: 'boolean', description: 'an agent is available for public chats right now' },
    channels: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['id', 'name', 'available'], properties: { id: int, name: str, available: { type: 'boolean' } } } },
  },
} as const;
