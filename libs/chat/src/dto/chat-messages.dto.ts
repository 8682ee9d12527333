import { z } from 'zod';
import { PageQuery, pageOf } from '@retail/common';
import { ChatMessage, ChatSendCommand } from '@retail/realtime-protocol';

/** POST /chat/rooms/:id/messages: the socket's chat.message without the roomId (it is in the path). */
export const SendChatMessageSchema = ChatSendCommand.omit({ roomId: true }).meta({ id: 'SendChatMessage' });
export type SendChatMessageDto = z.output<typeof SendChatMessageSchema>;

/** GET /chat/rooms/:id/messages: the same paging as every listing, newest first. */
export const ChatHistoryQuerySchema = PageQuery;
export type ChatHistoryQueryDto = z.output<typeof ChatHistoryQuerySchema>;

export const ChatMessagePageSchema = pageOf(ChatMessage, 'ChatMessagePage');
