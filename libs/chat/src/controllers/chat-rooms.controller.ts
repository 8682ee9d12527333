import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { ChatMessage } from '@retail/realtime-protocol';
import {
  ChatHistoryQuerySchema,
  ChatMessagePageSchema,
  SendChatMessageSchema,
  type ChatHistoryQueryDto,
  type SendChatMessageDto,
} from '../dto/chat-messages.dto.js';
import {
  ChatRoomPageSchema,
  ChatRoomSchema,
  ChatRoomsQuerySchema,
  CreateChatRoomSchema,
  type ChatRoomsQueryDto,
  type CreateChatRoomDto,
} from '../dto/chat-rooms.dto.js';
import { ChatService } from '../services/chat.service.js';

@ApiTags('chat')
@ApiBearerAuth()
@Controller('chat/rooms')
@RequirePermissions('chat:use')
export class ChatRoomsController {
  constructor(private readonly chat: ChatService) {}

  @Get()
  @ApiOperation({ summary: "The caller's chat rooms (admins: also every support room of the company), newest first, cursor-paged" })
  @ApiResponse({ status: 200, standardSchema: ChatRoomPageSchema })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: Principal, @Query({ schema: ChatRoomsQuerySchema }) query: ChatRoomsQueryDto) {
    return this.chat.listRooms(user, query);
  }

  @Post()
  @ApiOperation({ summary: 'Open a support, employee or direct room with users of the same company (a direct room is reused)' })
  @ApiResponse({ status: 201, standardSchema: ChatRoomSchema })
  @ApiErrors(400, 401, 403, 404)
  create(@CurrentUser() user: Principal, @Body({ schema: CreateChatRoomSchema }) body: CreateChatRoomDto) {
    return this.chat.createRoom(user, body);
  }

  @Get(':id/messages')
  @ApiOperation({ summary: "A page of the room's history, newest first; pass nextCursor back as cursor for older messages" })
  @ApiResponse({ status: 200, standardSchema: ChatMessagePageSchema })
  @ApiErrors(400, 401, 403, 404)
  history(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) roomId: string,
    @Query({ schema: ChatHistoryQuerySchema }) query: ChatHistoryQueryDto,
  ) {
    return this.chat.history(user, roomId, query);
  }

  @Post(':id/messages')
  @ApiOperation({
    summary: "Post a message (the spec's sendMessage); it is broadcast as chat.message. A retried clientMessageId answers the original",
  })
  @ApiResponse({ status: 201, standardSchema: ChatMessage })
  @ApiErrors(400, 401, 403, 404, 409)
  send(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) roomId: string,
    @Body({ schema: SendChatMessageSchema }) body: SendChatMessageDto,
  ) {
    return this.chat.sendMessage(user, { roomId, ...body });
  }
}
