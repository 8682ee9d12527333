import { Injectable } from '@nestjs/common';
import { canAccessWorkspace, type Principal } from '@retail/auth';
import { AppError, isUniqueViolation } from '@retail/common';
import { Prisma, PrismaService, TransactionRunner, type Workspace } from '@retail/database';
import { isOpenAt, type OpeningHours } from './opening-hours.js';
import type { CreateWorkspaceDto, UpdateWorkspaceDto } from './workspace.dto.js';

/** What listings say of a store. */
export type WorkspaceSummary = Pick<Workspace, 'id' | 'name' | 'timeZone' | 'companyId' | 'offlineAlertAfterSeconds' | 'archivedAt'> & {
  openingHours: OpeningHours | null;
};
const SUMMARY = {
  id: true,
  name: true,
  timeZone: true,
  companyId: true,
  openingHours: true,
  offlineAlertAfterSeconds: true,
  archivedAt: true,
} as const;
export const DEVICE_SELECT = { id: true, name: true, workspaceId: true, retired: true } as const;

const nameTaken = (name: string | undefined) =>
  AppError.conflict('name_taken', `A store named ${name ?? 'so'} already exists in the company`);
const toSummary = <T extends { openingHours: Prisma.JsonValue }>(row: T) => ({
  ...row,
  openingHours: row.openingHours as OpeningHours | null,
});
/** A Json column takes DbNull, not null, to be emptied (null hours: always open). */
const hoursColumn = (hours: OpeningHours | null | undefined) => (hours === null ? Prisma.DbNull : hours);

/** A store open now, by its hours on its own wall clock. */
export function isStoreOpen(store: Pick<WorkspaceSummary, 'openingHours' | 'timeZone' | 'archivedAt'>, at: Date): boolean {
  return !store.archivedAt && isOpenAt(store.openingHours, store.timeZone, at);
}

@Injectable()
export class WorkspacesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * ADMIN sees every store of the company (read by company: no store list anywhere); others the
   * stores they work in. Archived stores only when asked for (`archived`), every store with `all`.
   */
  async list(user: Principal, archived: boolean | 'all' = false): Promise<WorkspaceSummary[]> {
    const rows = await this.prisma.workspace.findMany({
      where: {
        companyId: user.companyId,
        ...(user.role === 'ADMIN' ? {} : { id: { in: user.workspaceIds } }),
        ...(archived === 'all' ? {} : { archivedAt: archived ? { not: null } : null }),
      },
      select: SUMMARY,
      orderBy: { name: 'asc' },
    });
    return rows.map(toSummary);
  }

  /**
   * A new store, usable at once on every replica: nothing about stores is cached per replica (an
   * ADMIN's scope is the company; others are given the store through their user's access).
   */
  async create(admin: Principal, { openingHours, ...dto }: CreateWorkspaceDto): Promise<WorkspaceSummary> {
    try {
      const row = await this.prisma.workspace.create({
        data: { ...dto, companyId: admin.companyId, openingHours: hoursColumn(openingHours) },
        select: SUMMARY,
      });
      return toSummary(row);
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(dto.name) : error;
    }
  }

  /** The time zone arrives validated (and named) by Intl, which every business date is computed with. */
  async update(user: Principal, workspaceId: string, { openingHours, ...dto }: UpdateWorkspaceDto): Promise<WorkspaceSummary> {
    await this.assertVisible(user, workspaceId);
    try {
      const row = await this.prisma.workspace.update({
        where: { id: workspaceId },
        data: { ...dto, ...(openingHours === undefined ? {} : { openingHours: hoursColumn(openingHours) }) },
        select: SUMMARY,
      });
      return toSummary(row);
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(dto.name) : error;
    }
  }

  /** One store with whether it is open now. */
  async detail(user: Principal, workspaceId: string) {
    const row = await this.prisma.workspace.findFirst({ where: { id: workspaceId, companyId: user.companyId }, select: SUMMARY });
    if (!row || !canAccessWorkspace(user, workspaceId)) throw AppError.notFound('Workspace');
    const store = toSummary(row);
    return { ...store, open: isStoreOpen(store, new Date()) };
  }

  /**
   * Archives a store: it keeps its history and refuses new carts and sales (`store_archived`). Not
   * while a drawer is open. The store row's lock waits for carts and sales being written in it
   * (their foreign keys hold it), so none slips in between the check and the archive.
   */
  async archive(admin: Principal, workspaceId: string): Promise<WorkspaceSummary> {
    await this.assertInCompany(admin.companyId, workspaceId);
    return this.transactions.run(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId}::uuid FOR UPDATE`;
      const open = await tx.cashSession.count({ where: { workspaceId, status: 'OPEN' } });
      if (open) throw AppError.conflict('open_cash_sessions', `Close the store's ${open} open drawer(s) before archiving it`, { open });
      const store = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { archivedAt: true } });
      const row = await tx.workspace.update({
        where: { id: workspaceId },
        data: { archivedAt: store.archivedAt ?? new Date() },
        select: SUMMARY,
      });
      return toSummary(row);
    });
  }

  async devices(user: Principal, workspaceId: string) {
    await this.assertVisible(user, workspaceId);
    return this.prisma.posDevice.findMany({
      where: { workspaceId },
      select: DEVICE_SELECT,
      orderBy: { name: 'asc' },
    });
  }

  /** The store asked for (404 unless the caller may see it), or every store the caller may see, archived ones too (their history stays). */
  async visibleOrAll(user: Principal, workspaceId: string | undefined) {
    return workspaceId ? [await this.assertVisible(user, workspaceId)] : this.list(user, 'all');
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
