import { Injectable } from '@nestjs/common';
import { canAccessWorkspace, type Principal } from '../../auth/src/index.js';
import { AppError } from '../../common/src/index.js';
import { PrismaService } from '../../database/src/index.js';

@Injectable()
export class WorkspacesService {
  constructor(private readonly prisma: PrismaService) {}

  /** ADMIN sees every store of the company; others the stores they work in. */
  list(user: Principal) {
    return this.prisma.workspace.findMany({
      where: { companyId: user.companyId, ...(user.role === 'ADMIN' ? {} : { id: { in: user.workspaceIds } }) },
      select: { id: true, name: true, timeZone: true, companyId: true },
      orderBy: { name: 'asc' },
    });
  }

  async devices(user: Principal, workspaceId: string) {
    await this.assertVisible(user, workspaceId);
    return this.prisma.posDevice.findMany({
      where: { workspaceId },
      select: { id: true, name: true, workspaceId: true },
      orderBy: { name: 'asc' },
    });
  }

  /** A store of another company, or not the caller's, is simply not found. */
  async assertVisible(user: Principal, workspaceId: string) {
    const store = await this.prisma.workspace.findFirst({ where: { id: workspaceId, companyId: user.companyId } });
    if (!store || !canAccessWorkspace(user, workspaceId)) throw AppError.notFound('Workspace');
    return store;
  }
}
