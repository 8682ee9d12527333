import { Injectable } from '@nestjs/common';
import { AccessChanges, hashPassword, LoginSessions, type Principal } from '@retail/auth';
import { AppError, byCreatedAt, isUniqueViolation, newestFirstAfter, newestFirstOrder, toPage } from '@retail/common';
import { PrismaService, TransactionRunner, type Db } from '@retail/database';
import type { CreateUserDto, UpdateUserDto, UsersQueryDto } from '../dto/user.dto.js';
import { toUserView, USER_SELECT } from '../views/user.view.js';

/** An ADMIN manages the users of its own company; another company's user is not found. */
@Injectable()
export class UsersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly accessChanges: AccessChanges,
    private readonly loginSessions: LoginSessions,
  ) {}

  /** Newest first, cursor-paged. */
  async list(admin: Principal, { cursor, limit }: UsersQueryDto) {
    const rows = await this.prisma.user.findMany({
      where: { AND: [{ companyId: admin.companyId }, newestFirstAfter('createdAt', cursor)] },
      select: USER_SELECT,
      orderBy: newestFirstOrder('createdAt'),
      take: limit + 1,
    });
    return toPage(rows, limit, byCreatedAt, toUserView);
  }

  async create(admin: Principal, { email, name, role, password, workspaceIds }: CreateUserDto) {
    await this.assertCompanyStores(this.prisma, admin.companyId, workspaceIds);
    // The admin lane: one company's admin creating users never holds up anyone's logins; past it, 503 admin_hashing_busy.
    const passwordHash = await hashPassword(password, { lane: 'admin' });
    try {
      const user = await this.prisma.user.create({
        data: {
          companyId: admin.companyId,
          email,
          name,
          role,
          passwordHash,
          workspaces: { create: workspaceIds.map((workspaceId) => ({ workspaceId })) },
        },
        select: USER_SELECT,
      });
      return toUserView(user);
    } catch (error) {
      throw isUniqueViolation(error) ? AppError.conflict('email_taken', `A user with email ${email} already exists`) : error;
    }
  }

  /**
   * A new role or disabling bumps the access version, which revokes every token of the user; new
   * stores take effect without revoking anything. Either way every replica hears of it once the
   * change commits, and re-checks the user's live sockets. Disabling also ends every session of
   * the user for good: re-enabling them revives none (they log in again).
   */
  async update(admin: Principal, userId: string, { role, workspaceIds, disabled }: UpdateUserDto) {
    if (userId === admin.userId && (disabled === true || (role && role !== admin.role))) {
      throw AppError.unprocessable('own_access', 'An ADMIN cannot disable or demote themselves; ask another ADMIN');
    }
    return this.transactions.run(async (tx) => {
      const user = await tx.user.findFirst({ where: { id: userId, companyId: admin.companyId }, select: { role: true, disabled: true } });
      if (!user) throw AppError.notFound('User');
      if (workspaceIds) {
        await this.assertCompanyStores(tx, admin.companyId, workspaceIds);
        await tx.workspaceMember.deleteMany({ where: { userId } });
        await tx.workspaceMember.createMany({ data: workspaceIds.map((workspaceId) => ({ userId, workspaceId })) });
      }
      const disabling = disabled === true && !user.disabled;
      const revokes = (role !== undefined && role !== user.role) || disabling;
      const updated = await tx.user.update({
        where: { id: userId },
        data: { role, disabled, ...(revokes ? { accessVersion: { increment: 1 } } : {}) },
        select: USER_SELECT,
      });
      if (disabling) await this.loginSessions.endAllOfUser(tx, userId, 'USER_DISABLED');
      this.accessChanges.announceAfterCommit(tx, { userIds: [userId] });
      return toUserView(updated);
    });
  }

  /** Every store must be of the admin's company: another company's is not found. */
  private async assertCompanyStores(db: Db, companyId: string, workspaceIds: string[]) {
    if (!workspaceIds.length) return;
    const found = await db.workspace.count({ where: { companyId, id: { in: workspaceIds } } });
    if (found !== workspaceIds.length) throw AppError.notFound('Workspace');
  }
}
