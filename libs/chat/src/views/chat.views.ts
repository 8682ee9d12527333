import type { ChatMessage as ChatMessageRow, ChatRoom as ChatRoomRow } from '@retail/database';
import type { ChatMessage } from '@retail/realtime-protocol';
import type { ChatRoomView } from '../dto/chat-rooms.dto.js';

export const toMessageView = (row: ChatMessageRow): ChatMessage => ({
  id: row.id,
  roomId: row.roomId,
  senderId: row.senderId,
  body: row.body,
  clientMessageId: row.clientMessageId,
  createdAt: row.createdAt.toISOString(),
});

export const toRoomView = (room: ChatRoomRow & { members: Array<{ userId: string }> }): ChatRoomView => ({
  id: room.id,
  companyId: room.companyId,
  type: room.type,
  name: room.name,
  createdById: room.createdById,
  memberIds: room.members.map((m) => m.userId),
  createdAt: room.createdAt.toISOString(),
});
