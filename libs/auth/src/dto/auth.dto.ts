import { z } from 'zod';
import { Id } from '@retail/common';
import { PERMISSIONS } from '../permissions.js';

export const LoginSchema = z
  .object({
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    password: z.string().min(1).max(200),
    deviceId: Id.optional().describe("POS device the session runs on; must belong to one of the user's stores"),
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
