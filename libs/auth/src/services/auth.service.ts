import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';
import type { LoginDto } from '../dto/auth.dto.js';
import type { Principal } from '../principal.js';
import { assertMaySignIn } from '../sign-in-policy.js';
import { LoginAttemptsService } from './login-attempts.service.js';
import { SessionService, type SessionTokens } from './session.service.js';

// Compared against when the email is unknown, so both failures take the same time.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionService,
    private readonly attempts: LoginAttemptsService,
  ) {}

  async login({ email, password, deviceId }: LoginDto, ip: string): Promise<SessionTokens> {
    await this.attempts.assertAllowed(email, ip);
    const user = await this.prisma.user.findUnique({ where: { email }, include: { workspaces: true } });
    const valid = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid) {
      await this.attempts.recordFailure(email, ip);
      throw AppError.unauthorized('Invalid email or password', 'invalid_credentials');
    }
    await this.attempts.reset(email, ip);
    assertMaySignIn(user);
    return this.sessions.startSession(user, deviceId);
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
