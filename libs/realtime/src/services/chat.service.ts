import { Injectable } from '@nestjs/common';
import type { ChatMessage } from '../dto/chat.dto.js';
import { EventDispatcher, type EmitOptions } from '../publishing/event-dispatcher.js';
import { Rooms } from '../rooms/rooms.js';

/** Chat routing: everything goes to `chat:{roomId}`; typing skips the typist's own sockets. */
@Injectable()
export class RealtimeChatService {
  constructor(private readonly events: EventDispatcher) {}

  message(companyId: string, message: ChatMessage, options?: EmitOptions) {
    const payload = { companyId, roomId: message.roomId, message };
    return this.events.dispatch('chatMessage', { companyId }, payload, [Rooms.chat(message.roomId)], options);
  }

  typing(companyId: string, roomId: string, userId: string, isTyping: boolean) {
    const payload = { companyId, roomId, userId, isTyping };
    return this.events.dispatch('chatTyping', { companyId }, payload, [Rooms.chat(roomId)], { except: [Rooms.user(userId)] });
  }
}
