import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppConfig } from '@retail/config';
import { AppError, newestFirstAfter, newestFirstOrder, toPage, type Page } from '@retail/common';
import { PrismaService, TransactionRunner, type Tx, type Prisma } from '@retail/database';
import { RealtimeService } from '@retail/realtime';
import type { NotificationKind, NotificationLevel, NotificationScope } from '@retail/realtime-protocol';
import { WorkspacesService } from '@retail/workspaces';
import type { BroadcastNotificationDto, ListNotificationsQueryDto, NotificationView } from '../dto/notifications.dto.js';
import { toAlertUpdate, toNotificationView } from '../views/notification.views.js';
import { ALERT_CONDITIONS } from '../alerts/alert-conditions.js';
import { AlertLifecycle } from '../alerts/alert-lifecycle.service.js';
import { raiseAlerts, type AlertRow, type RaisedRow, type RaiseOutcome } from '../alerts/raise-alerts.js';
import { decodeListCursor, listKey, openAfter } from './notification-list-order.js';
import { notificationsVisibleTo, scopeColumns, scopeOf } from './notification-rows.js';

export interface PublishNotificationInput {
  companyId: string;
  level: NotificationLevel;
  kind: NotificationKind;
  scope: NotificationScope;
  title: string;
  message: string;
  data?: Record<string, unknown>;
  /** The store it is about when the scope does not say (an alert addressed to a user about one store). */
  workspaceId?: string;
  /**
   * Its condition (ALERT_CONDITIONS), e.g. `low_stock:{workspaceId}:{productId}`: while an alert of
   * this key (and recipient) is open or acknowledged, publishing it again, even concurrently from
   * another replica, bumps that alert's count instead of making another. Leave it out for
   * one-off messages.
   */
  dedupKey?: string;
}

/** What publishing one input did, and the alert it landed on. */
export interface PublishedNotification {
  outcome: RaiseOutcome | 'overflowed';
  notification: NotificationView;
}

/** A live alert's identity: its company, condition and recipient (the partial unique index's columns). */
const liveKey = (companyId: string, dedupKey: string, userId: string | null) => `${companyId}|${dedupKey}|${userId ?? ''}`;

/** Inputs of one condition and recipient are one row, seen that many times; anything else is a row of its own. */
const conditionOf = (input: PublishNotificationInput, i: number) =>
  input.dedupKey && input.level !== 'INFO'
    ? liveKey(input.companyId, input.dedupKey, input.scope.type === 'user' ? input.scope.userId : null)
    : `#${i}`;

@Injectable()
export class NotificationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly realtime: RealtimeService,
    private readonly workspaces: WorkspacesService,
    private readonly config: AppConfig,
    private readonly lifecycle: AlertLifecycle,
  ) {}

  /**
   * The condition `dedupKey` (ALERT_CONDITIONS) cleared: its live alerts are resolved automatically
   * (resolution `auto`) in the caller's transaction, one statement, and system.alert.updated leaves
   * after it commits. `null`: in a transaction of its own. Nothing live: nothing happens. Answers
   * how many alerts it resolved.
   */
  resolveCondition(tx: Tx | null, companyId: string, dedupKey: string): Promise<number> {
    return this.resolveConditions(tx, companyId, [dedupKey]);
  }

  /** resolveCondition for several conditions of one company, in one statement. */
  resolveConditions(tx: Tx | null, companyId: string, dedupKeys: string[]): Promise<number> {
    if (!tx) return this.transactions.run((own) => this.lifecycle.resolveConditions(own, companyId, dedupKeys));
    return this.lifecycle.resolveConditions(tx, companyId, dedupKeys);
  }

  /**
   * Stores a notification and sends it to its scope once the transaction commits. Pass the
   * caller's `tx` (from TransactionRunner.run) to make it part of the caller's change; without
   * one it runs its own. Answers the alert when it is new or reopened, null when its condition's
   * live alert only counted it again (or the company's open alerts overflowed).
   */
  async publish(input: PublishNotificationInput, options: { tx?: Tx } = {}): Promise<NotificationView | null> {
    const { tx } = options;
    if (!tx) return this.transactions.run((own) => this.publish(input, { tx: own }));
    const [published] = await this.publishMany(tx, [input]);
    return published.outcome === 'created' || published.outcome === 'reopened' ? published.notification : null;
  }

  /**
   * Several notifications raised in one statement (raiseAlerts), in the caller's transaction; each
   * change is sent once it commits: a new alert as system.alert / warning / info, a repeat or a
   * reopening as system.alert.updated. Answers each input, in order.
   */
  async publishMany(tx: Tx, inputs: PublishNotificationInput[]): Promise<PublishedNotification[]> {
    if (!inputs.length) return [];
    const conditions = inputs.map(conditionOf);
    const rows = new Map<string, AlertRow>();
    inputs.forEach((input, i) => {
      const row = rows.get(conditions[i]);
      if (row) row.hits++;
      else rows.set(conditions[i], this.toRow(input));
    });
    const raised = await raiseAlerts(tx, [...rows.values()], this.config.alerts.escalateAfterSeconds.ALERT);
    const byCondition = new Map<string, RaisedRow>();
    for (const row of raised) {
      byCondition.set(row.dedupKey && row.state ? liveKey(row.companyId, row.dedupKey, row.userId) : `id:${row.id}`, row);
      this.announceRaised(tx, row);
    }
    return inputs.map((input, i) => {
      const sent = rows.get(conditions[i])!;
      const row = byCondition.get(conditions[i].startsWith('#') ? `id:${sent.id}` : conditions[i]);
      if (row) return { outcome: row.outcome, notification: toNotificationView(row, false) };
      const overflow = raised.find((r) => r.companyId === input.companyId && r.dedupKey === ALERT_CONDITIONS.overflow())!;
      return { outcome: 'overflowed', notification: toNotificationView(overflow, false) };
    });
  }

  /**
   * Open alerts first, most urgent level first and oldest first within it; then everything else
   * (acknowledged, resolved, plain messages), newest first. One keyset cursor walks both parts.
   */
  async list(user: Principal, query: ListNotificationsQueryDto): Promise<Page<NotificationView>> {
    const { limit, state, workspaceId, kind } = query;
    if (workspaceId) await this.workspaces.assertVisible(user, workspaceId); // another's store is not found
    const after = query.cursor ? decodeListCursor(query.cursor) : undefined;
    const filters = { ...(workspaceId ? { workspaceId } : {}), ...(kind ? { kind } : {}) };
    const find = (where: Prisma.NotificationWhereInput, orderBy: Prisma.NotificationOrderByWithRelationInput[], take: number) =>
      this.prisma.notification.findMany({
        where: { AND: [notificationsVisibleTo(user), filters, where] },
        include: { reads: { where: { userId: user.userId }, select: { userId: true } } },
        orderBy,
        take,
      });
    const rows: Awaited<ReturnType<typeof find>> = [];
    if ((!state || state === 'open') && after?.part !== 'rest') {
      const open = openAfter(after);
      rows.push(...(await find({ state: 'open', ...open }, [{ level: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }], limit + 1)));
    }
    if (state !== 'open' && rows.length <= limit) {
      const rest = state ? { state } : { OR: [{ state: null }, { state: { not: 'open' as const } }] };
      const older = after?.part === 'rest' ? newestFirstAfter('createdAt', after.cursor) : {};
      rows.push(...(await find({ AND: [rest, older] }, newestFirstOrder('createdAt'), limit + 1 - rows.length)));
    }
    return toPage(rows, limit, listKey, (row) => toNotificationView(row, row.reads.length > 0));
  }

  /** An admin's message to the company, one store or one user (the spec's systemAlert). */
  async broadcast(user: Principal, input: BroadcastNotificationDto): Promise<NotificationView> {
    await this.assertScopeInCompany(user.companyId, input.scope);
    const { title, message, level, scope } = input;
    const [sent] = await this.transactions.run((tx) =>
      this.publishMany(tx, [
        {
          companyId: user.companyId,
          level,
          kind: 'CUSTOM',
          scope,
          title,
          message,
          data: { sentBy: user.userId },
        },
      ]),
    );
    return sent.notification; // no dedupKey, so always a new alert (or, past the bound, the overflow alert)
  }

  /** Idempotent. A notification the caller may not see is not found. */
  async markRead(user: Principal, id: string): Promise<NotificationView> {
    const row = await this.prisma.notification.findFirst({ where: { AND: [{ id }, notificationsVisibleTo(user)] } });
    if (!row) throw AppError.notFound('Notification');
    await this.prisma.notificationRead.createMany({ data: [{ notificationId: id, userId: user.userId }], skipDuplicates: true });
    return toNotificationView(row, true);
  }

  private toRow(input: PublishNotificationInput): AlertRow {
    const columns = scopeColumns(input.scope);
    return {
      id: randomUUID(),
      companyId: input.companyId,
      ...columns,
      workspaceId: columns.workspaceId ?? input.workspaceId ?? null,
      level: input.level,
      kind: input.kind,
      title: input.title,
      message: input.message,
      data: input.data ?? {},
      dedupKey: input.dedupKey ?? null,
      hits: 1,
      escalateAfter: input.level === 'INFO' ? null : this.config.alerts.escalateAfterSeconds[input.level],
    };
  }

  private announceRaised(tx: Tx, row: RaisedRow) {
    if (row.outcome !== 'created') {
      this.realtime.emit('systemAlertUpdated', toAlertUpdate(row), { tx });
      return;
    }
    const { companyId, level, kind, title, message } = row;
    const data = row.data as Record<string, unknown>;
    this.realtime.systemAlert({ level, companyId, scope: scopeOf(row), kind, title, message, data, notificationId: row.id }, { tx });
  }

  private async assertScopeInCompany(companyId: string, scope: NotificationScope) {
    if (scope.type === 'workspace') await this.workspaces.assertInCompany(companyId, scope.workspaceId);
    if (scope.type === 'user' && !(await this.prisma.user.count({ where: { id: scope.userId, companyId } }))) {
      throw AppError.notFound('User');
    }
  }
}
