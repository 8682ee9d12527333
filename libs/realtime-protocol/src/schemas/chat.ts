import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const CHAT_BODY_MAX = 4000;

export const ChatMessage = z
  .object({
    id: Id,
    roomId: Id,
    senderId: Id,
    body: z.string(),
    clientMessageId: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'ChatMessage' });

export const ChatMessagePayload = z.object({ companyId: Id, roomId: Id, message: ChatMessage }).meta({ id: 'ChatMessagePayload' });
export const ChatTypingPayload = z
  .object({ companyId: Id, roomId: Id, userId: Id, isTyping: z.boolean() })
  .meta({ id: 'ChatTypingPayload' });
export const ChatHistoryPayload = z
  .object({ companyId: Id, roomId: Id, items: z.array(ChatMessage), nextCursor: z.string().nullable() })
  .meta({ id: 'ChatHistoryPayload' });

// Client-to-server commands on /chat.
export const ChatJoinCommand = z.object({ roomId: Id }).meta({ id: 'ChatJoinCommand' });
export const ChatSendCommand = z
  .object({
    roomId: Id,
    body: z.string().min(1).max(CHAT_BODY_MAX, `body must be at most ${CHAT_BODY_MAX} characters`),
    clientMessageId: z.string().min(1).max(100),
  })
  .meta({ id: 'ChatSendCommand' });
export const ChatTypingCommand = z.object({ roomId: Id, isTyping: z.boolean() }).meta({ id: 'ChatTypingCommand' });
export const ChatHistoryCommand = z
  .object({ roomId: Id, cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(100).default(50) })
  .meta({ id: 'ChatHistoryCommand' });

export type ChatMessage = z.infer<typeof ChatMessage>;
export type ChatMessagePayload = z.infer<typeof ChatMessagePayload>;
export type ChatTypingPayload = z.infer<typeof ChatTypingPayload>;
export type ChatHistoryPayload = z.infer<typeof ChatHistoryPayload>;
