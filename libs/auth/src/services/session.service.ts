import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@retail/common';
import { AppConfig } from '@retail/config';
import { PrismaService, TransactionRunner, type Db, type Tx, type User } from '@retail/database';
import { accessTokenClaims, type AccessTokenClaims } from '../principal.js';
import { assertMaySignIn } from '../sign-in-policy.js';
import { TokenService } from './token.service.js';

const REFRESH_TOKEN_BYTES = 32;
// Every session started or refreshed deletes up to this many expired refresh tokens, so they go at least as fast as they come.
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
 * Serialises everything that changes one family, on every replica: a refresh and a revocation
 * of the same family never interleave, so a revocation always sees the token a refresh just made.
 */
async function lockFamily(tx: Tx, familyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${familyId}, 0))`;
}

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
    private readonly transactions: TransactionRunner,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  /** A new session (a new family), for a user whose credentials were checked. */
  async startSession(user: SessionUser, deviceId: string | undefined): Promise<SessionTokens> {
    const tokens = await this.issueSession(this.prisma, user, deviceId, randomUUID());
    void this.pruneExpired();
    return tokens;
  }

  /** Exchanges a refresh token for the next one of its family and a new access token, reading the user afresh. */
  async refresh(refreshToken: string): Promise<SessionTokens> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashOf(refreshToken) } });
    if (!row) throw refreshRefused('refresh_token_invalid', 'Refresh token is unknown');
    const user = await this.prisma.user.findUnique({ where: { id: row.userId }, include: { workspaces: true } });
    assertMaySignIn(user);
    const issued = await this.transactions.run(async (tx) => {
      await lockFamily(tx, row.familyId);
      // Conditional, so of two refreshes with one token exactly one uses it up: the other is a reuse.
      const { count } = await tx.refreshToken.updateMany({
        where: { id: row.id, usedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        data: { usedAt: new Date() },
      });
      if (count) return this.issueSession(tx, user, row.deviceId ?? undefined, row.familyId);
      const current = await tx.refreshToken.findUniqueOrThrow({ where: { id: row.id } });
      // A used token is a copy, whether or not its session has ended since.
      if (current.usedAt) return undefined;
      if (current.revokedAt) throw refreshRefused('refresh_token_revoked', 'This session has ended; log in again');
      throw refreshRefused('refresh_token_expired', 'Refresh token has expired; log in again');
    });
    if (!issued) return this.refuseReuse(row.familyId);
    void this.pruneExpired();
    return issued;
  }

  /** Ends the refresh token's session, all of its family. Unknown tokens are already logged out. */
  async logout(refreshToken: string): Promise<void> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashOf(refreshToken) }, select: { familyId: true } });
    if (row) await this.revokeFamily(row.familyId);
  }

  /**
   * THE place a session's tokens are made, for login (a new family) and refresh (the same
   * family): what the access token claims is decided here only.
   */
  private async issueSession(db: Db, user: SessionUser, deviceId: string | undefined, familyId: string): Promise<SessionTokens> {
    const claims = await this.accessClaims(db, user, deviceId);
    const refreshToken = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
    await db.refreshToken.create({
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
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }

  private async refuseReuse(familyId: string): Promise<never> {
    await this.revokeFamily(familyId);
    this.logger.warn(`Refresh token reused: session ${familyId} revoked`);
    throw refreshRefused('refresh_token_reused', 'Refresh token was already used; the session is revoked, log in again');
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await lockFamily(tx, familyId);
      await tx.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
    });
  }

  private async accessClaims(db: Db, user: SessionUser, deviceId: string | undefined): Promise<AccessTokenClaims> {
    if (deviceId) await this.assertDeviceBelongs(db, deviceId, user);
    return accessTokenClaims(user, deviceId);
  }

  /** The device must be a live one of the user's stores (ADMIN: of the company). */
  private async assertDeviceBelongs(db: Db, deviceId: string, user: SessionUser) {
    const device = await db.posDevice.findUnique({ where: { id: deviceId }, include: { workspace: { select: { companyId: true } } } });
    const reachable =
      device?.workspace.companyId === user.companyId &&
      (user.role === 'ADMIN' || user.workspaces.some((w) => w.workspaceId === device.workspaceId));
    if (!device || device.retired || !reachable) {
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
