import { Global, Module } from '@nestjs/common';
import { CHAT_COMMANDS } from '@retail/realtime';
import { ChatRoomsController } from './controllers/chat-rooms.controller.js';
import { ChatService } from './services/chat.service.js';

/**
 * Support and employee chat. Global only to hand CHAT_COMMANDS to the realtime library's /chat
 * gateway, which must not import this module (that would be a dependency cycle).
 */
@Global()
@Module({
  controllers: [ChatRoomsController],
  providers: [ChatService, { provide: CHAT_COMMANDS, useExisting: ChatService }],
  exports: [ChatService, CHAT_COMMANDS],
})
export class ChatModule {}
