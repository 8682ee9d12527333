import { Injectable } from '@nestjs/common';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';
import { UNKNOWN_ACCOUNT_HASH, verifyPassword } from '@retail/passwords';
import type { LoginDto } from '../dto/auth.dto.js';
import { LoginSlots } from '../login/login-slots.js';
import { LoginAttemptsService, type LoginClient } from '../login/login-attempts.service.js';
import type { Principal } from '../principal.js';
import { assertMaySignIn } from '../sign-in-policy.js';
import { SessionService, type SessionTokens } from './session.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionService,
    private readonly attempts: LoginAttemptsService,
    private readonly loginSlots: LoginSlots,
  ) {}

  async login({ email, password, deviceId }: LoginDto, client: LoginClient): Promise<SessionTokens> {
    const user = await this.checkPassword(email, password, client);
    assertMaySignIn(user);
    return this.sessions.startSession(user, deviceId);
  }

  /** The user, if the password is right. Counted before the compare, so parallel guesses cannot all pass the count. */
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
    if (!user || !valid) throw AppError.unauthorized('Invalid email or password', 'invalid_credentials');
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
