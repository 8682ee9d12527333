import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';
import { hashPassword, verifyPassword } from '@retail/passwords';
import type { LoginDto } from '../dto/auth.dto.js';
import { LoginSlots } from '../login/login-slots.js';
import { LoginAttemptsService, type LoginClient } from '../login/login-attempts.service.js';
import { permissionsFor } from '../permissions.js';
import type { Principal } from '../principal.js';
import { TokenService } from './token.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tokens: TokenService,
    private readonly attempts: LoginAttemptsService,
    private readonly loginSlots: LoginSlots,
  ) {}

  // Compared against when the email is unknown, so both failures cost the same.
  private readonly dummyHash = hashPassword(randomUUID());

  async login({ email, password, deviceId }: LoginDto, client: LoginClient) {
    const user = await this.checkPassword(email, password, client);

    const workspaceIds = user.role === 'ADMIN' ? await this.companyWorkspaceIds(user.companyId) : user.workspaces.map((w) => w.workspaceId);
    if (deviceId) await this.assertDeviceBelongs(deviceId, workspaceIds);

    const { accessToken, expiresIn } = await this.tokens.sign({
      sub: user.id,
      companyId: user.companyId,
      workspaceIds,
      role: user.role,
      permissions: permissionsFor(user.role),
      ...(deviceId ? { deviceId } : {}),
    });
    return { accessToken, tokenType: 'Bearer' as const, expiresIn };
  }

  /** The user, if the password is right. Counted before the compare, so parallel guesses cannot all pass the count. */
  private async checkPassword(email: string, password: string, client: LoginClient) {
    const attempt = await this.attempts.begin(email, client);
    let user, valid;
    try {
      [user, valid] = await this.loginSlots.run(async () => {
        const found = await this.prisma.user.findUnique({ where: { email }, include: { workspaces: true } });
        return [found, await verifyPassword(password, found?.passwordHash ?? (await this.dummyHash))] as const;
      });
    } catch (error) {
      await attempt.abandon(); // no password was tried
      throw error;
    }
    if (!user || !valid) throw AppError.unauthorized('Invalid email or password', 'invalid_credentials');
    await attempt.succeeded();
    return user;
  }

  async me(principal: Principal) {
    const user = await this.prisma.user.findUnique({ where: { id: principal.userId } });
    if (!user) throw AppError.unauthorized('User no longer exists', 'token_invalid');
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      companyId: user.companyId,
      workspaceIds: principal.workspaceIds,
      permissions: principal.permissions,
      ...(principal.deviceId ? { deviceId: principal.deviceId } : {}),
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
}
