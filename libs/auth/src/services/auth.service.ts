import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';
import type { LoginDto } from '../dto/auth.dto.js';
import { assertActive } from '../access/access-resolver.js';
import { accessTokenClaims, type Principal } from '../principal.js';
import { LoginAttemptsService } from './login-attempts.service.js';
import { TokenService } from './token.service.js';

// Compared against when the email is unknown, so both failures take the same time.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tokens: TokenService,
    private readonly attempts: LoginAttemptsService,
  ) {}

  async login({ email, password, deviceId }: LoginDto, ip: string) {
    await this.attempts.assertAllowed(email, ip);
    const user = await this.prisma.user.findUnique({ where: { email }, include: { workspaces: true } });
    const valid = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid) {
      await this.attempts.recordFailure(email, ip);
      throw AppError.unauthorized('Invalid email or password', 'invalid_credentials');
    }
    await this.attempts.reset(email, ip);
    assertActive(user);
    if (deviceId) await this.assertDeviceBelongs(deviceId, user);

    const { accessToken, expiresIn } = await this.tokens.sign(accessTokenClaims(user, deviceId));
    return { accessToken, tokenType: 'Bearer' as const, expiresIn };
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

  /** The device must be a live one of the user's stores (ADMIN: of the company). */
  private async assertDeviceBelongs(deviceId: string, user: { role: string; companyId: string; workspaces: { workspaceId: string }[] }) {
    const device = await this.prisma.posDevice.findUnique({
      where: { id: deviceId },
      include: { workspace: { select: { companyId: true } } },
    });
    const reachable =
      device?.workspace.companyId === user.companyId &&
      (user.role === 'ADMIN' || user.workspaces.some((w) => w.workspaceId === device.workspaceId));
    if (!device || device.retired || !reachable) {
      throw AppError.forbidden('This device does not belong to one of your stores', 'device_forbidden');
    }
  }
}
