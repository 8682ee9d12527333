import { z } from 'zod';
import { Id } from '@retail/common';
import { PERMISSIONS } from '../permissions.js';

/** What a new password must be, wherever one is set (a new user, a password change). */
export const NewPassword = z.string().min(8).max(200);

/** A password being checked: any length it could have been set with. */
const GivenPassword = z.string().min(1).max(200);

export const LoginSchema = z
  .object({
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    password: GivenPassword,
    deviceId: Id.optional().describe("POS device (till) the session runs on; must belong to one of the user's stores"),
    deviceKey: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("The till's key (shown once by POST /workspaces/:id/devices or …/devices/:deviceId/key); required with deviceId"),
  })
  .meta({ id: 'LoginRequest' });
export type LoginDto = z.output<typeof LoginSchema>;

export const TokenResponseSchema = z
  .object({
    accessToken: z.string().describe('JWT for `Authorization: Bearer` and the socket handshake'),
    refreshToken: z.string().describe('Opaque; exchange it at POST /auth/refresh before the access token expires. Single use.'),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('seconds until the access token expires'),
  })
  .meta({ id: 'TokenResponse' });

export const RefreshSchema = z
  .object({ refreshToken: z.string().min(1).max(200).describe('The refresh token of the last login or refresh') })
  .meta({ id: 'RefreshRequest' });
export type RefreshDto = z.output<typeof RefreshSchema>;

export const ChangePasswordSchema = z
  .object({
    currentPassword: GivenPassword,
    newPassword: NewPassword.describe('8 to 200 characters, as for a new user'),
  })
  .meta({ id: 'ChangePasswordRequest' });
export type ChangePasswordDto = z.output<typeof ChangePasswordSchema>;

export const MeResponseSchema = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: z.enum(['ADMIN', 'MANAGER', 'CASHIER', 'STAFF']),
    companyId: Id,
    workspaceIds: z.array(Id),
    permissions: z.array(z.enum(PERMISSIONS)),
    deviceId: Id.optional(),
  })
  .meta({ id: 'Me' });
