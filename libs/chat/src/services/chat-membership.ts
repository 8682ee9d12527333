import { hasPermission, type Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import type { ChatRoomType } from '../dto/chat-rooms.dto.js';

/** Support staff (the company's admins) see every SUPPORT room of their company without joining it. */
const supportsAll = (user: Principal) => hasPermission(user, 'chat:support');

/** Prisma filter: the rooms a user may read and write in. Always inside their own company. */
export function roomsVisibleTo(user: Principal) {
  return {
    companyId: user.companyId,
    OR: [{ members: { some: { userId: user.userId } } }, ...(supportsAll(user) ? [{ type: 'SUPPORT' as const }] : [])],
  };
}

/** The same rule for one room of the user's company. */
export const mayUseRoom = (user: Principal, room: { type: ChatRoomType; isMember: boolean }) =>
  room.isMember || (room.type === 'SUPPORT' && supportsAll(user));

/**
 * Who a new room holds besides its creator. DIRECT is exactly one other user; EMPLOYEE is a group
 * with at least one other; SUPPORT may start with nobody else, as admins are there implicitly.
 */
export function otherMembers(creatorId: string, type: ChatRoomType, memberIds: string[]): string[] {
  const others = [...new Set(memberIds)].filter((id) => id !== creatorId);
  const problem =
    type === 'DIRECT' && others.length !== 1
      ? 'a DIRECT room has exactly one other member'
      : type === 'EMPLOYEE' && others.length === 0
        ? 'an EMPLOYEE room needs at least one other member'
        : null;
  if (problem) throw AppError.validation([{ path: 'memberIds', message: problem }]);
  return others;
}
