import { z } from 'zod';
import { Id, PageQuery, pageOf } from '@retail/common';

export const ChatRoomType = z.enum(['SUPPORT', 'EMPLOYEE', 'DIRECT']);
export type ChatRoomType = z.infer<typeof ChatRoomType>;

export const CreateChatRoomSchema = z
  .object({
    type: ChatRoomType.describe(
      'SUPPORT: you and the company admins (memberIds empty). EMPLOYEE: a group. DIRECT: you and exactly one other user.',
    ),
    name: z.string().trim().min(1).max(100).optional(),
    memberIds: z.array(Id).max(200).default([]).describe('Other users of your company; you are always a member'),
  })
  .meta({ id: 'CreateChatRoom' });
export type CreateChatRoomDto = z.output<typeof CreateChatRoomSchema>;

export const ChatRoomSchema = z
  .object({
    id: Id,
    companyId: Id,
    type: ChatRoomType,
    name: z.string().nullable(),
    createdById: Id,
    memberIds: z.array(Id).describe('Explicit members; admins also see every SUPPORT room'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ChatRoom' });
export type ChatRoomView = z.infer<typeof ChatRoomSchema>;

export const ChatRoomsQuerySchema = PageQuery;
export type ChatRoomsQueryDto = z.output<typeof ChatRoomsQuerySchema>;
export const ChatRoomPageSchema = pageOf(ChatRoomSchema, 'ChatRoomPage');
