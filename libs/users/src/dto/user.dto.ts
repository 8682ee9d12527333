import { z } from 'zod';
import { NewPassword } from '@retail/auth';
import { Id, PageQuery, pageOf } from '@retail/common';
import { Role } from '@retail/database';

const Roles = z.enum(Role);
const WorkspaceIds = z
  .array(Id)
  .max(1000)
  .transform((ids) => [...new Set(ids)])
  .describe("The stores the user works in, all of the caller's company (an ADMIN's scope is the whole company anyway)");

export const UserSchema = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: Roles,
    disabled: z.boolean(),
    workspaceIds: z.array(Id),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type UserView = z.output<typeof UserSchema>;
export const UserPageSchema = pageOf(UserSchema, 'UserPage');

export const UsersQuerySchema = PageQuery;
export type UsersQueryDto = z.output<typeof UsersQuerySchema>;

export const CreateUserSchema = z
  .object({
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    name: z.string().trim().min(1).max(100),
    role: Roles,
    password: NewPassword,
    workspaceIds: WorkspaceIds,
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserDto = z.output<typeof CreateUserSchema>;

export const UpdateUserSchema = z
  .object({
    role: Roles.describe("A new role revokes the user's tokens"),
    workspaceIds: WorkspaceIds.describe("Replaces the user's stores; a store taken away is out of reach at once"),
    disabled: z
      .boolean()
      .describe(
        "Disabling revokes the user's tokens, ends every session of theirs for good (re-enabling revives none) and refuses their logins",
      ),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one field to change')
  .meta({ id: 'UpdateUserRequest' });
export type UpdateUserDto = z.output<typeof UpdateUserSchema>;
