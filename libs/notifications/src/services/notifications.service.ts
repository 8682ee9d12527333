import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError, byCreatedAt, newestFirstAfter, newestFirstOrder, toPage, type Page } from '@retail/common';
import { PrismaService, TransactionRunner, type Tx, type Prisma } from '@retail/database';
import { RealtimeService } from '@retail/realtime';
import type { NotificationKind, NotificationLevel, NotificationScope } from '@retail/realtime-protocol';
import { WorkspacesService } from '@retail/workspaces';
import type { BroadcastNotificationDto, NotificationView } from '../dto/notifications.dto.js';
import { toNotificationView } from '../views/notification.views.js';
import { notificationsVisibleTo, scopeColumns } from './notification-rows.js';

export interface PublishNotificationInput {
  companyId: string;
  level: NotificationLevel;
  kind: NotificationKind;
  scope: NotificationScope;
  title: string;
  message: string;
  data?: Record<string, unknown>;
  /**
   * At most one notification per company has this key, e.g. `EXPIRED:{lotId}`: publishing it
   * again (even concurrently, from another replica) does nothing. Put what must change before
   * alerting again into the key. Leave it out for events the caller already detects once,
   * such as a low-stock crossing.
   */
  dedupeKey?: string;
}

@Injectable()
export class NotificationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly realtime: RealtimeService,
    private readonly workspaces: WorkspacesService,
  ) {}

  /**
   * Stores a notification and sends it to its scope once the transaction commits. Pass the
   * caller's `tx` (from TransactionRunner.run) to make it part of the caller's change; without
   * one it runs its own. Returns null when `dedupeKey` was already used.
   */
  async publish(input: PublishNotificationInput, options: { tx?: Tx } = {}): Promise<NotificationView | null> {
    const { tx } = options;
    if (!tx) return this.transactions.run((own) => this.publish(input, { tx: own }));
    const [published] = await this.publishMany(tx, [input]);
    return published;
  }

  /**
   * Several notifications stored in one statement, in the caller's transaction, each sent once it
   * commits; answers each one (null where its `dedupeKey` was already used), in order.
   */
  async publishMany(tx: Tx, inputs: PublishNotificationInput[]): Promise<Array<NotificationView | null>> {
    if (!inputs.length) return [];
    // ON CONFLICT DO NOTHING: a duplicate key neither throws nor aborts the caller's transaction.
    // Ids chosen here, so each stored row is matched to its input whatever order they come back in.
    const ids = inputs.map(() => randomUUID());
    const rows = await tx.notification.createManyAndReturn({
      data: inputs.map((input, i) => ({
        id: ids[i],
        companyId: input.companyId,
        ...scopeColumns(input.scope),
        level: input.level,
        kind: input.kind,
        title: input.title,
        message: input.message,
        data: (input.data ?? {}) as Prisma.InputJsonObject,
        dedupeKey: input.dedupeKey ?? null,
      })),
      skipDuplicates: true,
    });
    const stored = new Map(rows.map((row) => [row.id, row]));
    return inputs.map((input, i) => {
      const row = stored.get(ids[i]);
      if (!row) return null; // its dedupe key was taken
      const { companyId, scope, kind, title, message, data } = input;
      this.realtime.systemAlert({ level: input.level, companyId, scope, kind, title, message, data, notificationId: row.id }, { tx });
      return toNotificationView(row, false);
    });
  }

  async list(user: Principal, page: { cursor?: string; limit: number }): Promise<Page<NotificationView>> {
    const rows = await this.prisma.notification.findMany({
      where: { AND: [notificationsVisibleTo(user), newestFirstAfter('createdAt', page.cursor)] },
      include: { reads: { where: { userId: user.userId }, select: { userId: true } } },
      orderBy: newestFirstOrder('createdAt'),
      take: page.limit + 1,
    });
    return toPage(rows, page.limit, byCreatedAt, (row) => toNotificationView(row, row.reads.length > 0));
  }

  /** An admin's message to the company, one store or one user (the spec's systemAlert). */
  async broadcast(user: Principal, input: BroadcastNotificationDto): Promise<NotificationView> {
    await this.assertScopeInCompany(user.companyId, input.scope);
    const { title, message, level, scope } = input;
    const sent = await this.publish({
      companyId: user.companyId,
      level,
      kind: 'CUSTOM',
      scope,
      title,
      message,
      data: { sentBy: user.userId },
    });
    return sent!; // no dedupeKey, so always stored
  }

  /** Idempotent. A notification the caller may not see is not found. */
  async markRead(user: Principal, id: string): Promise<NotificationView> {
    const row = await this.prisma.notification.findFirst({ where: { AND: [{ id }, notificationsVisibleTo(user)] } });
    if (!row) throw AppError.notFound('Notification');
    await this.prisma.notificationRead.createMany({ data: [{ notificationId: id, userId: user.userId }], skipDuplicates: true });
    return toNotificationView(row, true);
  }

  private async assertScopeInCompany(companyId: string, scope: NotificationScope) {
    if (scope.type === 'workspace') await this.workspaces.assertInCompany(companyId, scope.workspaceId);
    if (scope.type === 'user' && !(await this.prisma.user.count({ where: { id: scope.userId, companyId } }))) {
      throw AppError.notFound('User');
    }
  }
}
