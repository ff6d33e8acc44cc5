/** Kysely types of the chat tables (migration 0034); `DB` in schema.ts extends this. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from './columns';

export type ChatAvailability = 'unavailable' | 'internal' | 'external';
export type ChatStatus = 'online' | 'away';
export type ChatOrigin = 'agent' | 'customer' | 'public';
export type ChatState = 'request' | 'active' | 'closed';
export type ChatSender = 'agent' | 'customer' | 'visitor' | 'system';

export interface ChatChannelsTable {
  id: Generated<number>;
  name: string;
  /** Agents with `ro` on this group see the channel's chats and requests. */
  group_id: number;
  is_default: Generated<boolean>;
  valid: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ChatAvailabilityTable {
  agent_id: number;
  availability: ColumnType<ChatAvailability, ChatAvailability | undefined, ChatAvailability>;
  status: ColumnType<ChatStatus, ChatStatus | undefined, ChatStatus>;
  /** "My chat channels": the channels whose requests the agent wants (empty: all they may see). */
  channel_ids: ColumnType<number[], string | undefined, string>;
  changed_at: CreatedAt;
}

export interface ChatsTable {
  id: Generated<number>;
  /** Null for a chat between agents (only its participants see it). */
  channel_id: number | null;
  origin: ChatOrigin;
  state: ChatState;
  topic: Generated<string>;
  created_by_agent_id: number | null;
  customer_user_id: number | null;
  visitor_name: string | null;
  visitor_email: string | null;
  /** SHA-256 of the visitor's chat token (the token is the visitor's only credential). */
  visitor_token_hash: string | null;
  remote_addr: Generated<string>;
  language: Generated<string>;
  customer_last_read_id: Generated<number>;
  ticket_id: number | null;
  created_at: CreatedAt;
  accepted_at: NullableTimestamp;
  closed_at: NullableTimestamp;
}

export interface ChatParticipantsTable {
  chat_id: number;
  agent_id: number;
  state: 'invited' | 'joined' | 'left';
  last_read_id: Generated<number>;
  joined_at: CreatedAt;
}

export interface ChatMessagesTable {
  id: Generated<number>;
  chat_id: number;
  sender: ChatSender;
  agent_id: number | null;
  sender_name: string;
  body_html: string;
  body_text: string;
  created_at: CreatedAt;
}

export interface ChatTables {
  chat_channels: ChatChannelsTable;
  chat_availability: ChatAvailabilityTable;
  chats: ChatsTable;
  chat_participants: ChatParticipantsTable;
  chat_messages: ChatMessagesTable;
}
