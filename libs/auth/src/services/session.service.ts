import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@retail/common';
import { AppConfig } from '@retail/config';
import { deviceKeyMatches, PrismaService, TransactionRunner, type LoginSession, type Tx, type User } from '@retail/database';
import { accessTokenClaims } from '../principal.js';
import { assertMaySignIn } from '../sign-in-policy.js';
import { LoginSessions } from './login-sessions.service.js';
import { refreshRefusal } from './refresh-refusal.js';
import { TokenService } from './token.service.js';

const REFRESH_TOKEN_BYTES = 32;
// Every session started or refreshed deletes up to this many expired rows, so they go at least as fast as they come.
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

/** The till a login opens its session on, and the key that proves it is that till. */
export interface Till {
  deviceId: string;
  deviceKey?: string;
}

const refreshRefused = (code: string, message: string) => AppError.unauthorized(message, code);
const hashOf = (refreshToken: string) => createHash('sha256').update(refreshToken).digest('base64url');

/*
 * Row locks that order a session's start and refresh against whatever ends sessions (which updates
 * the same rows): a disable, password change, key rotation or logout that commits first is seen
 * here; one that commits after waits for this session to exist, and ends it too.
 */
const holdUser = (tx: Tx, id: string) => tx.$executeRaw`SELECT 1 FROM "User" WHERE id = ${id}::uuid FOR SHARE`;
const holdDevice = (tx: Tx, id: string) => tx.$executeRaw`SELECT 1 FROM "PosDevice" WHERE id = ${id}::uuid FOR SHARE`;
const lockSession = (tx: Tx, id: string) => tx.$executeRaw`SELECT 1 FROM "LoginSession" WHERE id = ${id}::uuid FOR UPDATE`;

/**
 * Login sessions: a LoginSession row per login, a short access token (JWT, its `sid` the session)
 * and an opaque refresh token, stored hashed. Each refresh uses its token up and issues the next;
 * a used one presented again means it was copied, and ends the session. A session lives at most
 * SESSION_MAX_DAYS; LoginSessions ends it sooner.
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
    private readonly loginSessions: LoginSessions,
  ) {}

  /**
   * A new session for a user whose password was just checked against `verified.passwordHash`: if
   * the password changed (or the user was disabled) since, there is no session. On a till, its
   * key must be the till's current one.
   */
  async startSession(verified: SessionUser, till: Till | undefined): Promise<SessionTokens> {
    const tokens = await this.transactions.run(async (tx) => {
      await holdUser(tx, verified.id);
      const user = await tx.user.findUnique({ where: { id: verified.id }, include: { workspaces: true } });
      assertMaySignIn(user);
      if (user.passwordHash !== verified.passwordHash) throw AppError.unauthorized('Invalid email or password', 'invalid_credentials');
      if (till) await this.assertTill(tx, user, till);
      const createdAt = new Date();
      const session = await tx.loginSession.create({
        data: {
          id: randomUUID(),
          userId: user.id,
          deviceId: till?.deviceId,
          createdAt,
          expiresAt: new Date(createdAt.getTime() + this.config.sessions.maxAgeSeconds * 1000),
        },
      });
      return this.issueTokens(tx, user, session);
    });
    void this.pruneExpired();
    return tokens;
  }

  /** Exchanges a refresh token for the next one of its session and a new access token, reading the user afresh. */
  async refresh(refreshToken: string): Promise<SessionTokens> {
    const row = await this.prisma.refreshToken.findUnique({
      where: { tokenHash: hashOf(refreshToken) },
      select: { id: true, sessionId: true, session: { select: { userId: true } } },
    });
    if (!row) throw refreshRefused('refresh_token_invalid', 'Refresh token is unknown');
    const user = await this.prisma.user.findUnique({ where: { id: row.session.userId }, include: { workspaces: true } });
    assertMaySignIn(user);
    const issued = await this.transactions.run(async (tx) => {
      // Of two refreshes with one token, the second waits here and then finds it used: a reuse.
      await lockSession(tx, row.sessionId);
      const session = await tx.loginSession.findUniqueOrThrow({ where: { id: row.sessionId } });
      const token = await tx.refreshToken.findUniqueOrThrow({ where: { id: row.id } });
      // A used token is a copy, whether or not its session has ended since.
      if (token.usedAt) {
        await this.loginSessions.end(tx, session.id, 'REFRESH_REUSED');
        return undefined;
      }
      const refusal = refreshRefusal(session, token, new Date());
      if (refusal) throw refreshRefused(refusal.code, refusal.message);
      await tx.refreshToken.update({ where: { id: token.id }, data: { usedAt: new Date() } });
      if (session.deviceId) await this.assertDeviceBelongs(tx, session.deviceId, user);
      return this.issueTokens(tx, user, session);
    });
    if (!issued) {
      this.logger.warn(`Refresh token reused: session ${row.sessionId} ended`);
      throw refreshRefused('refresh_token_reused', 'Refresh token was already used; the session has ended, log in again');
    }
    void this.pruneExpired();
    return issued;
  }

  /** Ends the refresh token's session: its tokens everywhere, its sockets. Unknown tokens are already logged out. */
  async logout(refreshToken: string): Promise<void> {
    const row = await this.prisma.refreshToken.findUnique({ where: { tokenHash: hashOf(refreshToken) }, select: { sessionId: true } });
    if (row) await this.transactions.run((tx) => this.loginSessions.end(tx, row.sessionId, 'LOGOUT'));
  }

  /** Ends every session of the user, the caller's own included. */
  async logoutAll(userId: string): Promise<void> {
    await this.transactions.run((tx) => this.loginSessions.endAllOfUser(tx, userId, 'LOGOUT_ALL'));
  }

  /**
   * THE place a session's tokens are made, for login and refresh: what the access token claims is
   * decided here only. No refresh token outlives its session.
   */
  private async issueTokens(tx: Tx, user: SessionUser, session: LoginSession): Promise<SessionTokens> {
    const refreshToken = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
    const ttlEnd = Date.now() + this.config.refreshTokens.ttlSeconds * 1000;
    await tx.refreshToken.create({
      data: {
        sessionId: session.id,
        tokenHash: hashOf(refreshToken),
        expiresAt: new Date(Math.min(ttlEnd, session.expiresAt.getTime())),
      },
      select: { id: true },
    });
    const { accessToken, expiresIn } = this.tokens.sign(accessTokenClaims(user, session));
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }

  /** The till must be a live one of the user's stores, and the key its current one. */
  private async assertTill(tx: Tx, user: SessionUser, { deviceId, deviceKey }: Till): Promise<void> {
    await holdDevice(tx, deviceId);
    const device = await this.assertDeviceBelongs(tx, deviceId, user);
    if (!deviceKeyMatches(deviceKey, device.keyHash)) {
      throw AppError.unauthorized("This is not the till's current key; ask an ADMIN to issue one", 'device_key_invalid');
    }
  }

  /** The device must be a live one of the user's stores (ADMIN: of the company). */
  private async assertDeviceBelongs(tx: Tx, deviceId: string, user: SessionUser) {
    const device = await tx.posDevice.findUnique({ where: { id: deviceId }, include: { workspace: { select: { companyId: true } } } });
    const reachable =
      device?.workspace.companyId === user.companyId &&
      (user.role === 'ADMIN' || user.workspaces.some((w) => w.workspaceId === device.workspaceId));
    if (!device || device.retired || !reachable) {
      throw AppError.forbidden('This device does not belong to one of your stores', 'device_forbidden');
    }
    return device;
  }

  /**
   * Deletes a batch of expired sessions (their refresh tokens go with them) and of expired refresh
   * tokens; rows another replica is deleting are skipped, not waited for.
   */
  private async pruneExpired(): Promise<void> {
    try {
      await this.prisma.$executeRaw`
        DELETE FROM "LoginSession" WHERE id IN (
          SELECT id FROM "LoginSession" WHERE "expiresAt" < now() LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`;
      await this.prisma.$executeRaw`
        DELETE FROM "RefreshToken" WHERE id IN (
          SELECT id FROM "RefreshToken" WHERE "expiresAt" < now() LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`;
    } catch (error) {
      this.logger.warn(`Could not prune expired sessions and refresh tokens: ${(error as Error).message}`);
    }
  }
}
