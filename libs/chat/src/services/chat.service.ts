import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError, byCreatedAt, isUniqueViolation, newestFirstAfter, newestFirstOrder, toPage, type Page } from '@retail/common';
import { PrismaService, TransactionRunner } from '@retail/database';
import { RealtimeService, type ChatCommands } from '@retail/realtime';
import type { ChatMessage } from '@retail/realtime-protocol';
import type { ChatRoomView, CreateChatRoomDto } from '../dto/chat-rooms.dto.js';
import { toMessageView, toRoomView } from '../views/chat.views.js';
import { cleanMessageBody } from './message-body.js';
import { mayUseRoom, otherMembers, roomsVisibleTo } from './chat-membership.js';
import { TypingThrottle } from './typing-throttle.js';

/**
 * The chat domain: rooms, messages and typing. REST and the /chat gateway (through the
 * CHAT_COMMANDS port) both call it with the verified caller and already-validated input.
 */
@Injectable()
export class ChatService implements ChatCommands, OnModuleDestroy {
  private readonly typingThrottle = new TypingThrottle((signal) => this.realtime.emit('chatTyping', signal, { tx: null }));

  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly realtime: RealtimeService,
  ) {}

  /** Newest first, cursor-paged: an admin sees every support room of the company, which only grows. */
  async listRooms(user: Principal, page: { cursor?: string; limit: number }): Promise<Page<ChatRoomView>> {
    const rooms = await this.prisma.chatRoom.findMany({
      where: { AND: [roomsVisibleTo(user), newestFirstAfter('createdAt', page.cursor)] },
      include: { members: { select: { userId: true } } },
      orderBy: newestFirstOrder('createdAt'),
      take: page.limit + 1,
    });
    return toPage(rooms, page.limit, byCreatedAt, toRoomView);
  }

  /** A DIRECT room is one per pair of users: asking again answers the existing room. */
  async createRoom(user: Principal, input: CreateChatRoomDto): Promise<ChatRoomView> {
    const others = otherMembers(user.userId, input.type, input.memberIds);
    const found = await this.prisma.user.count({ where: { id: { in: others }, companyId: user.companyId } });
    if (found !== others.length) throw AppError.notFound('User');

    const directKey = input.type === 'DIRECT' ? [user.userId, ...others].sort().join(':') : null;
    const existing = directKey && (await this.findDirectRoom(directKey));
    if (existing) return existing;
    try {
      const room = await this.prisma.chatRoom.create({
        data: {
          companyId: user.companyId,
          type: input.type,
          name: input.name ?? null,
          createdById: user.userId,
          directKey,
          members: { create: [user.userId, ...others].map((userId) => ({ userId })) },
        },
        include: { members: { select: { userId: true } } },
      });
      return toRoomView(room);
    } catch (error) {
      // Both users opened the same direct room at once: the unique directKey let one win.
      const raced = directKey && isUniqueViolation(error) && (await this.findDirectRoom(directKey));
      if (raced) return raced;
      throw error;
    }
  }

  /** not_found for a room of another company (or none), forbidden for a room of the company the user is not in. */
  async assertMember(user: Principal, roomId: string) {
    const room = await this.prisma.chatRoom.findFirst({
      where: { id: roomId, companyId: user.companyId },
      select: { id: true, type: true, members: { where: { userId: user.userId }, select: { userId: true } } },
    });
    if (!room) throw AppError.notFound('Chat room');
    if (!mayUseRoom(user, { type: room.type, isMember: room.members.length > 0 })) {
      throw AppError.forbidden('Not a member of this chat room');
    }
    return { id: room.id, type: room.type };
  }

  /** Of `roomIds`, those the user may read (e.g. to resume on /chat): one query however many. */
  async readableRooms(user: Principal, roomIds: string[]): Promise<string[]> {
    const rooms = await this.prisma.chatRoom.findMany({
      where: { AND: [{ id: { in: roomIds } }, roomsVisibleTo(user)] },
      select: { id: true },
    });
    return rooms.map((room) => room.id);
  }

  /**
   * Stores the message and broadcasts it to the room once committed. A retried clientMessageId
   * (even concurrently: the insert is ON CONFLICT DO NOTHING) is stored once and answers the original.
   */
  async sendMessage(user: Principal, input: { roomId: string; body: string; clientMessageId: string }): Promise<ChatMessage> {
    const body = cleanMessageBody(input.body);
    await this.assertMember(user, input.roomId);
    const sent = await this.transactions.run(async (tx) => {
      const [row] = await tx.chatMessage.createManyAndReturn({
        data: [{ roomId: input.roomId, senderId: user.userId, body, clientMessageId: input.clientMessageId }],
        skipDuplicates: true,
      });
      if (!row) return null;
      const message = toMessageView(row);
      this.realtime.sendMessage(input.roomId, { ...message, companyId: user.companyId }, { tx });
      return message;
    });
    return sent ?? this.originalMessage(user, input);
  }

  /** A page of the room's messages, newest first; `cursor` is the previous page's nextCursor. */
  async history(user: Principal, roomId: string, page: { cursor?: string; limit: number }): Promise<Page<ChatMessage>> {
    const where = { roomId, ...newestFirstAfter('createdAt', page.cursor) };
    await this.assertMember(user, roomId);
    const rows = await this.prisma.chatMessage.findMany({ where, orderBy: newestFirstOrder('createdAt'), take: page.limit + 1 });
    return toPage(rows, page.limit, byCreatedAt, toMessageView);
  }

  /** Tells the room's other members; throttled, never stored (see TypingThrottle). */
  async typing(user: Principal, roomId: string, isTyping: boolean): Promise<void> {
    await this.assertMember(user, roomId);
    this.typingThrottle.signal({ companyId: user.companyId, roomId, userId: user.userId, isTyping });
  }

  onModuleDestroy() {
    this.typingThrottle.clear();
  }

  private async findDirectRoom(directKey: string) {
    const room = await this.prisma.chatRoom.findUnique({ where: { directKey }, include: { members: { select: { userId: true } } } });
    return room && toRoomView(room);
  }

  private async originalMessage(user: Principal, input: { roomId: string; clientMessageId: string }) {
    const row = await this.prisma.chatMessage.findUniqueOrThrow({
      where: { senderId_clientMessageId: { senderId: user.userId, clientMessageId: input.clientMessageId } },
    });
    if (row.roomId !== input.roomId) {
      throw AppError.conflict('client_message_id_reused', 'This clientMessageId was already used for another room');
    }
    return toMessageView(row);
  }
}
