import { Injectable } from '@nestjs/common';
import { AppError } from '@retail/common';
import { PrismaService, TransactionRunner } from '@retail/database';
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from '@retail/passwords';
import type { ChangePasswordDto, LoginDto } from '../dto/auth.dto.js';
import { LoginSlots } from '../login/login-slots.js';
import { LoginAttemptsService, type LoginClient } from '../login/login-attempts.service.js';
import type { Principal } from '../principal.js';
import { assertMaySignIn } from '../sign-in-policy.js';
import { LoginSessions } from './login-sessions.service.js';
import { SessionService, type SessionTokens } from './session.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly sessions: SessionService,
    private readonly loginSessions: LoginSessions,
    private readonly attempts: LoginAttemptsService,
    private readonly loginSlots: LoginSlots,
  ) {}

  async login({ email, password, deviceId, deviceKey }: LoginDto, client: LoginClient): Promise<SessionTokens> {
    const user = await this.checkPassword(email, password, client);
    if (!user) throw AppError.unauthorized('Invalid email or password', 'invalid_credentials');
    assertMaySignIn(user);
    return this.sessions.startSession(user, deviceId ? { deviceId, deviceKey } : undefined);
  }

  /**
   * Checks the current password like a login (counted against the same limits, so it cannot be
   * guessed here either), sets the new one and ends the caller's other sessions. A wrong current
   * password is `403 current_password_invalid`: the caller's token is fine, a 401 would wrongly
   * tell a client to log in again.
   */
  async changePassword(principal: Principal, { currentPassword, newPassword }: ChangePasswordDto, client: LoginClient): Promise<void> {
    const { email } = await this.prisma.user.findUniqueOrThrow({ where: { id: principal.userId }, select: { email: true } });
    const user = await this.checkPassword(email, currentPassword, client);
    if (!user) throw AppError.forbidden('The current password is not right', 'current_password_invalid');
    const passwordHash = await hashPassword(newPassword);
    await this.transactions.run(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { passwordHash }, select: { id: true } });
      await this.loginSessions.endAllOfUser(tx, user.id, 'PASSWORD_CHANGED', principal.sessionId);
    });
  }

  /**
   * The user, if the password is right; undefined if not (or no such user). Counted before the
   * compare, so parallel guesses cannot all pass the count.
   */
  private async checkPassword(email: string, password: string, client: LoginClient) {
    const attempt = await this.attempts.begin(email, client);
    let user, valid;
    try {
      [user, valid] = await this.loginSlots.run(async () => {
        const found = await this.prisma.user.findUnique({ where: { email }, include: { workspaces: true } });
        return [found, await verifyPassword(password, found?.passwordHash ?? UNKNOWN_ACCOUNT_HASH)] as const;
      });
    } catch (error) {
      await attempt.abandon(); // no password was tried
      throw error;
    }
    if (!user || !valid) return undefined;
    await attempt.succeeded();
    return user;
  }

  /** The caller as the database knows them now (the principal was resolved from it): a client learns its stores here. */
  async me(principal: Principal) {
    const user = await this.prisma.user.findUnique({ where: { id: principal.userId } });
    if (!user) throw AppError.unauthorized('User no longer exists', 'token_invalid');
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: principal.role,
      companyId: user.companyId,
      workspaceIds: principal.role === 'ADMIN' ? await this.companyWorkspaceIds(user.companyId) : principal.workspaceIds,
      permissions: principal.permissions,
      ...(principal.deviceId ? { deviceId: principal.deviceId } : {}),
    };
  }

  private async companyWorkspaceIds(companyId: string) {
    const workspaces = await this.prisma.workspace.findMany({ where: { companyId }, select: { id: true }, orderBy: { name: 'asc' } });
    return workspaces.map((s) => s.id);
  }
}
