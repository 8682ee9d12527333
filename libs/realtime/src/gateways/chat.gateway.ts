import { Inject } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import {
  ChatHistoryCommand,
  ChatJoinCommand,
  ChatSendCommand,
  ChatTypingCommand,
  COMMANDS,
  createEnvelope,
  NAMESPACES,
  parseRoom,
  Rooms,
} from '@retail/realtime-protocol';

import type { AuthedSocket } from '../handshake/socket-context.js';
import { CHAT_COMMANDS, type ChatCommands } from './chat-commands.port.js';
import { GatewaySupport } from './gateway-support.js';
import { RealtimeGateway } from './realtime.gateway.js';

const HISTORY_ON_JOIN = 50;

/** `/chat`: support and employee chat. Every command is acknowledged; membership is checked each time. */
@WebSocketGateway({ namespace: NAMESPACES.chat.path })
export class ChatGateway extends RealtimeGateway {
  protected readonly namespace = 'chat';

  constructor(
    support: GatewaySupport,
    @Inject(CHAT_COMMANDS) private readonly chat: ChatCommands,
  ) {
    super(support);
  }

  /** A chat room is resumed like any room, by those who may read it: one query for all of them. */
  protected override async sortRooms(principal: Principal, rooms: string[]): Promise<{ allowed: string[]; refused: string[] }> {
    const chatRooms = new Map<string, string>();
    for (const room of rooms) {
      const parsed = parseRoom(room);
      if (parsed?.kind === 'chat') chatRooms.set(room, parsed.id);
    }
    const sorted = await super.sortRooms(
      principal,
      rooms.filter((room) => !chatRooms.has(room)),
    );
    const readable = new Set(chatRooms.size ? await this.chat.readableRooms(principal, [...chatRooms.values()]) : []);
    for (const [room, id] of chatRooms) (readable.has(id) ? sorted.allowed : sorted.refused).push(room);
    return sorted;
  }

  @SubscribeMessage(COMMANDS.chatJoin.name)
  join(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return this.support.commands.run(socket, ChatJoinCommand, payload, async ({ roomId }) => {
      const user = socket.data.principal;
      await this.chat.assertMember(user, roomId);
      await socket.join(Rooms.chat(roomId));
      const page = await this.chat.history(user, roomId, { limit: HISTORY_ON_JOIN });
      const envelope = createEnvelope('chatHistory', { companyId: user.companyId }, { companyId: user.companyId, roomId, ...page });
      socket.emit(envelope.type, envelope);
      return { roomId };
    });
  }

  @SubscribeMessage(COMMANDS.chatMessage.name)
  message(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return this.support.commands.run(socket, ChatSendCommand, payload, async (input) => ({
      message: await this.chat.sendMessage(socket.data.principal, input),
    }));
  }

  @SubscribeMessage(COMMANDS.chatTyping.name)
  typing(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return this.support.commands.run(socket, ChatTypingCommand, payload, async ({ roomId, isTyping }) => {
      await this.chat.typing(socket.data.principal, roomId, isTyping);
      return {};
    });
  }

  @SubscribeMessage(COMMANDS.chatHistory.name)
  history(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return this.support.commands.run(socket, ChatHistoryCommand, payload, ({ roomId, cursor, limit }) =>
      this.chat.history(socket.data.principal, roomId, { cursor, limit }),
    );
  }
}
