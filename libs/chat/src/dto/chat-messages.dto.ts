import { z } from 'zod';
import { ChatHistoryCommand, ChatMessage, ChatSendCommand } from '../../../realtime/src/index.js';

/** POST /chat/rooms/:id/messages: the socket's chat.message without the roomId (it is in the path). */
export const SendChatMessageSchema = ChatSendCommand.omit({ roomId: true }).meta({ id: 'SendChatMessage' });
export type SendChatMessageDto = z.output<typeof SendChatMessageSchema>;

/**
 * GET /chat/rooms/:id/messages: the socket's chat.history paging, from the query string.
 * Unnamed (no meta id) so Swagger lists its fields as query parameters instead of a $ref.
 */
export const ChatHistoryQuerySchema = ChatHistoryCommand.omit({ roomId: true }).extend({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ChatHistoryQueryDto = z.output<typeof ChatHistoryQuerySchema>;

export const ChatMessagePageSchema = z
  .object({ items: z.array(ChatMessage).describe('Newest first'), nextCursor: z.string().nullable() })
  .meta({ id: 'ChatMessagePage' });
