import { Injectable } from '@nestjs/common';
import { canAccessWorkspace, type Principal } from '@retail/auth';
import { AppError, isUniqueViolation } from '@retail/common';
import { PrismaService, type Workspace } from '@retail/database';
import type { UpdateWorkspaceDto } from './workspace.dto.js';

/** What listings say of a store. */
export type WorkspaceSummary = Pick<Workspace, 'id' | 'name' | 'timeZone' | 'companyId'>;
const SUMMARY = { id: true, name: true, timeZone: true, companyId: true } as const;
export const DEVICE_SELECT = { id: true, name: true, workspaceId: true, retired: true } as const;

@Injectable()
export class WorkspacesService {
  constructor(private readonly prisma: PrismaService) {}

  /** ADMIN sees every store of the company (read by company: no store list anywhere); others the stores they work in. */
  list(user: Principal): Promise<WorkspaceSummary[]> {
    return this.prisma.workspace.findMany({
      where: { companyId: user.companyId, ...(user.role === 'ADMIN' ? {} : { id: { in: user.workspaceIds } }) },
      select: SUMMARY,
      orderBy: { name: 'asc' },
    });
  }

  /** The time zone arrives validated (and named) by Intl, which every business date is computed with. */
  async update(user: Principal, workspaceId: string, dto: UpdateWorkspaceDto): Promise<WorkspaceSummary> {
    await this.assertVisible(user, workspaceId);
    try {
      return await this.prisma.workspace.update({ where: { id: workspaceId }, data: dto, select: SUMMARY });
    } catch (error) {
      throw isUniqueViolation(error) ? AppError.conflict('workspace_name_taken', `A store named ${dto.name} already exists`) : error;
    }
  }

  async devices(user: Principal, workspaceId: string) {
    await this.assertVisible(user, workspaceId);
    return this.prisma.posDevice.findMany({
      where: { workspaceId },
      select: DEVICE_SELECT,
      orderBy: { name: 'asc' },
    });
  }

  /** The store asked for (404 unless the caller may see it), or every store the caller may see. */
  async visibleOrAll(user: Principal, workspaceId: string | undefined) {
    return workspaceId ? [await this.assertVisible(user, workspaceId)] : this.list(user);
  }

  /** The store if it is of the caller's company and the caller may see it; null otherwise. */
  async findVisible(user: Principal, workspaceId: string) {
    const workspace = await this.findInCompany(user.companyId, workspaceId);
    return workspace && canAccessWorkspace(user, workspaceId) ? workspace : null;
  }

  /** A store of another company, or not the caller's, is simply not found. */
  async assertVisible(user: Principal, workspaceId: string) {
    const workspace = await this.findVisible(user, workspaceId);
    if (!workspace) throw AppError.notFound('Workspace');
    return workspace;
  }

  /** Any store of the company (e.g. a transfer's destination): only another company's is not found. */
  async assertInCompany(companyId: string, workspaceId: string) {
    const workspace = await this.findInCompany(companyId, workspaceId);
    if (!workspace) throw AppError.notFound('Workspace');
    return workspace;
  }

  private findInCompany(companyId: string, workspaceId: string) {
    return this.prisma.workspace.findFirst({ where: { id: workspaceId, companyId } });
  }
}
