import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@retail/common';
import { AppConfig } from '@retail/config';
import { PrismaService, type User } from '@retail/database';
import { permissionsFor } from '../permissions.js';
import type { AccessTokenClaims } from '../principal.js';
import { assertMaySignIn } from '../sign-in-policy.js';
import { TokenService } from './token.service.js';

const REFRESH_TOKEN_BYTES = 32;
// Every session issued deletes up to this many expired refresh tokens, so they go at least as fast as they come.
const PRUNE_BATCH = 100;

/** A user as a session needs them: with their store memberships. */
export type SessionUser = User & { workspaces: { workspaceId: string }[] };

/** What login and refresh answer. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const refreshRefused = (code: string, message: string) => AppError.unauthorized(message, code);
const hashOf = (refreshToken: string) => createHash('sha256').update(refreshToken).digest('base64url');

/**
 * Login sessions: a short access token (JWT) and an opaque refresh token, stored hashed. A
 * session is a family of refresh tokens: each refresh uses one up and issues the next; a used one
 * presented again means it was copied, and ends the whole family.
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly prisma: PrismaService,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  /**
   * THE place a session's tokens are made, for login (a new family) and refresh (the same
   * family): what the access token claims is decided here only.
   */
  async issueSession(user: SessionUser, deviceId: string | undefined, familyId: string = randomUUID()): Promise<SessionTokens> {
    const claims = await this.accessClaims(user, deviceId);
    const refreshToken = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
    await this.prisma.refreshToken.create({
      data: {
        familyId,
        userId: user.id,
        deviceId,
        tokenHash: hashOf(refreshToken),
        expiresAt: new Date(Date.now() + this.config.refreshTokens.ttlSeconds * 1000),
      },
      select: { id: true },
    });
    const { accessToken, expiresIn } = this.tokens.sign({ ...claims, sid: familyId });
    void this.pruneExpired();
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }

  /** Exchanges a refresh token for a new session of the same family, reading the user afresh. */
  async refresh(refreshToken: string): Promise<SessionTokens> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashOf(refreshToken) } });
    if (!row) throw refreshRefused('refresh_token_invalid', 'Refresh token is unknown');
    // A used token is a copy, whether or not its session has ended since.
    if (row.usedAt) return this.refuseReuse(row.familyId);
    if (row.revokedAt) throw refreshRefused('refresh_token_revoked', 'This session has ended; log in again');
    if (row.expiresAt.getTime() <= Date.now()) throw refreshRefused('refresh_token_expired', 'Refresh token has expired; log in again');

    const user = await this.prisma.user.findUnique({ where: { id: row.userId }, include: { workspaces: true } });
    assertMaySignIn(user);
    // Conditional, so of two refreshes racing with one token exactly one uses it up. Should issuing
    // then fail (the device moved to another store), the session ends with it: log in again.
    const { count } = await this.prisma.refreshToken.updateMany({
      where: { id: row.id, usedAt: null, revokedAt: null },
      data: { usedAt: new Date() },
    });
    if (!count) return this.refuseReuse(row.familyId);
    return this.issueSession(user, row.deviceId ?? undefined, row.familyId);
  }

  /** Ends the refresh token's session, all of its family. Unknown tokens are already logged out. */
  async logout(refreshToken: string): Promise<void> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashOf(refreshToken) }, select: { familyId: true } });
    if (row) await this.revokeFamily(row.familyId);
  }

  private async refuseReuse(familyId: string): Promise<never> {
    await this.revokeFamily(familyId);
    this.logger.warn(`Refresh token reused: session ${familyId} revoked`);
    throw refreshRefused('refresh_token_reused', 'Refresh token was already used; the session is revoked, log in again');
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async accessClaims(user: SessionUser, deviceId: string | undefined): Promise<AccessTokenClaims> {
    const workspaceIds = user.role === 'ADMIN' ? await this.companyWorkspaceIds(user.companyId) : user.workspaces.map((w) => w.workspaceId);
    if (deviceId) await this.assertDeviceBelongs(deviceId, workspaceIds);
    return {
      sub: user.id,
      companyId: user.companyId,
      workspaceIds,
      role: user.role,
      permissions: permissionsFor(user.role),
      ...(deviceId ? { deviceId } : {}),
    };
  }

  private async companyWorkspaceIds(companyId: string) {
    const workspaces = await this.prisma.workspace.findMany({ where: { companyId }, select: { id: true } });
    return workspaces.map((s) => s.id);
  }

  private async assertDeviceBelongs(deviceId: string, workspaceIds: string[]) {
    const device = await this.prisma.posDevice.findUnique({ where: { id: deviceId } });
    if (!device || !workspaceIds.includes(device.workspaceId)) {
      throw AppError.forbidden('This device does not belong to one of your stores', 'device_forbidden');
    }
  }

  /** Deletes a batch of expired refresh tokens; rows another replica is deleting are skipped, not waited for. */
  private async pruneExpired(): Promise<void> {
    try {
      await this.prisma.$executeRaw`
        DELETE FROM "RefreshToken" WHERE id IN (
          SELECT id FROM "RefreshToken" WHERE "expiresAt" < now() LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`;
    } catch (error) {
      this.logger.warn(`Could not prune expired refresh tokens: ${(error as Error).message}`);
    }
  }
}
