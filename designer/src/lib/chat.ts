/**
 * The chat API for the agent page, the portal and the admin page (`/api/v1/chat`), with the types
 * of its answers.
 */
import { request } from '$lib/api';

export interface ChatMessage {
  id: number;
  chatId: number;
  sender: 'agent' | 'customer' | 'visitor' | 'system';
  agentId: number | null;
  senderName: string;
  html: string;
  text: string;
  createdAt: string;
}

export interface Chat {
  id: number;
  channelId: number | null;
  channelName: string | null;
  origin: 'agent' | 'customer' | 'public';
  state: 'request' | 'active' | 'closed';
  topic: string;
  requester: string;
  customerUserId: number | null;
  visitorName: string | null;
  visitorEmail: string | null;
  participants: { agentId: number; login: string; name: string; state: 'invited' | 'joined' | 'left' }[];
  ticketId: number | null;
  createdAt: string;
  lastMessageId: number;
  unread: number;
}

export interface ChatChannel {
  id: number;
  name: string;
  groupId: number;
  isDefault: boolean;
  valid: boolean;
  agentsAvailable: number;
}

export type Availability = 'unavailable' | 'internal' | 'external';

const base = '/api/v1/chat';

export const chatApi = {
  channels: () => request<{ items: ChatChannel[] }>('GET', `${base}/channels`),
  createChannel: (body: { name: string; groupId: number; isDefault?: boolean }) => request<ChatChannel>('POST', `${base}/channels`, body),
  availability: () => request<{ availability: Availability; status: 'online' | 'away'; channelIds: number[] }>('GET', `${base}/availability`),
  setAvailability: (body: { availability?: Availability; status?: 'online' | 'away'; channelIds?: number[] }) =>
    request<{ availability: Availability; status: 'online' | 'away'; channelIds: number[] }>('PUT', `${base}/availability`, body),
  requests: () => request<{ items: Chat[] }>('GET', `${base}/requests`),
  list: () => request<{ items: Chat[] }>('GET', `${base}/chats`),
  get: (id: number) => request<Chat>('GET', `${base}/chats/${id}`),
  start: (body: { agentId?: number; customerUserId?: number; channelId?: number; topic?: string; message?: { body: string } }) => request<Chat>('POST', `${base}/chats`, body),
  messages: (id: number, after: number) => request<{ items: ChatMessage[] }>('GET', `${base}/chats/${id}/messages?after=${after}`),
  send: (id: number, body: string) => request<ChatMessage>('POST', `${base}/chats/${id}/messages`, { body }),
  typing: (id: number) => request<void>('POST', `${base}/chats/${id}/typing`),
  read: (id: number, lastId: number) => request<Chat>('POST', `${base}/chats/${id}/read`, { lastId }),
  accept: (id: number) => request<Chat>('POST', `${base}/chats/${id}/accept`),
  invite: (id: number, agentId: number) => request<Chat>('POST', `${base}/chats/${id}/invite`, { agentId }),
  transfer: (id: number, channelId: number) => request<Chat>('POST', `${base}/chats/${id}/transfer`, { channelId }),
  close: (id: number) => request<Chat>('POST', `${base}/chats/${id}/close`),
  toTicket: (id: number, queue: string) => request<{ id: number; number: string }>('POST', `${base}/chats/${id}/ticket`, { queue }),
  append: (id: number, ticketId: number) => request<{ articleId: number }>('POST', `${base}/chats/${id}/append`, { ticketId }),
  pdfUrl: (id: number) => `${base}/chats/${id}/transcript.pdf`,
};
