import type { Prisma } from '@retail/database';
import type { UserView } from '../dto/user.dto.js';

export const USER_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabled: true,
  createdAt: true,
  workspaces: { select: { workspaceId: true }, orderBy: { workspaceId: 'asc' } },
} satisfies Prisma.UserSelect;
type UserRow = Prisma.UserGetPayload<{ select: typeof USER_SELECT }>;

/** Never the password hash. */
export const toUserView = ({ workspaces, createdAt, ...user }: UserRow): UserView => ({
  ...user,
  workspaceIds: workspaces.map((w) => w.workspaceId),
  createdAt: createdAt.toISOString(),
});
