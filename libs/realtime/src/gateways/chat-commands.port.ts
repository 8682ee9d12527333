import type { Principal } from '@retail/auth';
import type { ChatMessage } from '@retail/realtime-protocol';

/**
 * What the /chat gateway needs from the chat domain. The chat module provides it under
 * CHAT_COMMANDS, so this library never imports the domain (no dependency cycle).
 */
export interface ChatCommands {
  /** Throws not_found / forbidden unless the caller may read the room. */
  assertMember(user: Principal, roomId: string): Promise<unknown>;
  /** Of `roomIds`, those the caller may read, in one query however many. */
  readableRooms(user: Principal, roomIds: string[]): Promise<string[]>;
  sendMessage(user: Principal, input: { roomId: string; body: string; clientMessageId: string }): Promise<ChatMessage>;
  history(
    user: Principal,
    roomId: string,
    page: { cursor?: string; limit: number },
  ): Promise<{ items: ChatMessage[]; nextCursor: string | null }>;
  typing(user: Principal, roomId: string, isTyping: boolean): Promise<void>;
}

export const CHAT_COMMANDS = Symbol('CHAT_COMMANDS');
