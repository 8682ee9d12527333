import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { PrismaService, TransactionRunner, type Notification, type Tx } from '@retail/database';
import { RealtimeService } from '@retail/realtime';
import type { AlertCommandDto, NotificationView } from '../dto/notifications.dto.js';
import { notificationsVisibleTo } from '../services/notification-rows.js';
import { toAlertUpdate, toNotificationView } from '../views/notification.views.js';

/** Alerts escalated per statement; the sweep goes on until none is due. */
const ESCALATION_BATCH = 500;

/**
 * An alert's life after it was raised: ack, resolve (by hand, or as its condition clears) and
 * escalation. Every change is one conditional UPDATE, so what replicas do at once is decided by
 * PostgreSQL's row lock: a resolve waits for a concurrent ack and then resolves; an ack after a
 * resolve finds nothing open and answers already_resolved. Each change sends
 * system.alert.updated after its transaction commits.
 */
@Injectable()
export class AlertLifecycle {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly realtime: RealtimeService,
  ) {}

  /** open → acknowledged. Acknowledging it again changes nothing; a resolved one is 409 already_resolved. */
  async acknowledge(user: Principal, id: string, command: AlertCommandDto): Promise<NotificationView> {
    const alert = await this.manageable(user, id);
    return this.transactions.run(async (tx) => {
      const [row] = await tx.$queryRaw<Notification[]>`
        UPDATE "Notification" SET state = 'acknowledged', "acknowledgedById" = ${user.userId}::uuid, "acknowledgedAt" = now(),
          note = COALESCE(${command.note ?? null}, note), version = version + 1
        WHERE id = ${alert.id}::uuid AND state = 'open' AND (${command.expectedVersion ?? null}::int IS NULL OR version = ${command.expectedVersion ?? null}::int)
        RETURNING *`;
      if (row) return this.changed(tx, row);
      const now = await this.current(tx, id);
      if (now.state === 'resolved') throw AppError.conflict('already_resolved', 'The alert is resolved', this.versionOf(now));
      this.assertVersion(now, command);
      return toNotificationView(now, false);
    });
  }

  /** open or acknowledged → resolved (manual). Resolving it again changes nothing. */
  async resolve(user: Principal, id: string, command: AlertCommandDto): Promise<NotificationView> {
    const alert = await this.manageable(user, id);
    return this.transactions.run(async (tx) => {
      const [row] = await tx.$queryRaw<Notification[]>`
        UPDATE "Notification" SET state = 'resolved', resolution = 'manual', "resolvedById" = ${user.userId}::uuid, "resolvedAt" = now(),
          note = COALESCE(${command.note ?? null}, note), version = version + 1
        WHERE id = ${alert.id}::uuid AND state IN ('open', 'acknowledged')
          AND (${command.expectedVersion ?? null}::int IS NULL OR version = ${command.expectedVersion ?? null}::int)
        RETURNING *`;
      if (row) return this.changed(tx, row);
      const now = await this.current(tx, id);
      this.assertVersion(now, command);
      return toNotificationView(now, false);
    });
  }

  /**
   * The conditions cleared (ALERT_CONDITIONS keys): their live alerts, for every recipient, are
   * resolved automatically in the caller's transaction, in one statement. Raising one of them again
   * within 10 minutes reopens its alert. Answers how many alerts it resolved.
   */
  async resolveConditions(tx: Tx, companyId: string, dedupKeys: string[]): Promise<number> {
    if (!dedupKeys.length) return 0;
    const rows = await tx.$queryRaw<Notification[]>`
      UPDATE "Notification" SET state = 'resolved', resolution = 'auto', "resolvedAt" = now(), "resolvedById" = NULL, version = version + 1
      WHERE "companyId" = ${companyId}::uuid AND "dedupKey" = ANY(${dedupKeys}::text[]) AND state IN ('open', 'acknowledged')
      RETURNING *`;
    for (const row of rows) this.announce(tx, row);
    return rows.length;
  }

  /**
   * Lot alerts (expired, expiring) whose lot is sold out or gone: resolved automatically. The sweep
   * runs this, so every way stock leaves a lot (till sales in the database included) clears them.
   */
  async resolveEmptiedLots(companyId?: string): Promise<number> {
    return this.transactions.run(async (tx) => {
      const rows = await tx.$queryRaw<Notification[]>`
        UPDATE "Notification" n SET state = 'resolved', resolution = 'auto', "resolvedAt" = now(), "resolvedById" = NULL, version = version + 1
        WHERE n.state IN ('open', 'acknowledged') AND n.kind IN ('EXPIRED_PRODUCT', 'EXPIRING_SOON')
          AND (${companyId ?? null}::uuid IS NULL OR n."companyId" = ${companyId ?? null}::uuid)
          AND NOT EXISTS (SELECT 1 FROM "StockLot" l WHERE l.id::text = n.data->>'lotId' AND l.quantity > 0)
        RETURNING *`;
      for (const row of rows) this.announce(tx, row);
      return rows.length;
    });
  }

  /**
   * Escalates, once, every alert still open (never an acknowledged one) past its escalateAt: the
   * timers are rows, so whichever replica sweeps finds them, however many replicas died since.
   */
  async escalateDue(): Promise<number> {
    let escalated = 0;
    for (;;) {
      const batch = await this.transactions.run(async (tx) => {
        const rows = await tx.$queryRaw<Notification[]>`
          UPDATE "Notification" SET escalated = true, version = version + 1
          WHERE id IN (
            SELECT id FROM "Notification" WHERE state = 'open' AND NOT escalated AND "escalateAt" <= now()
            ORDER BY "escalateAt" LIMIT ${ESCALATION_BATCH} FOR UPDATE SKIP LOCKED
          ) AND state = 'open' AND NOT escalated
          RETURNING *`;
        for (const row of rows) this.announce(tx, row);
        return rows.length;
      });
      escalated += batch;
      if (batch < ESCALATION_BATCH) return escalated;
    }
  }

  /**
   * The alert, if the caller may see it and manages its store; one about no store, if it is
   * addressed to the caller; a company-wide one, the company's admins only.
   */
  private async manageable(user: Principal, id: string): Promise<Notification> {
    const alert = await this.prisma.notification.findFirst({ where: { AND: [{ id }, notificationsVisibleTo(user)] } });
    if (!alert) throw AppError.notFound('Notification');
    if (!alert.state) throw AppError.conflict('not_an_alert', 'An INFO notification has no state to change');
    const managesIt =
      user.role === 'ADMIN' || (alert.workspaceId !== null ? user.workspaceIds.includes(alert.workspaceId) : alert.userId === user.userId);
    if (!managesIt) throw AppError.forbidden("Only who manages the alert's store may act on it");
    return alert;
  }

  private current(tx: Tx, id: string): Promise<Notification> {
    return tx.notification.findUniqueOrThrow({ where: { id } });
  }

  private assertVersion(alert: Notification, command: AlertCommandDto) {
    if (command.expectedVersion !== undefined && command.expectedVersion !== alert.version) {
      throw AppError.conflict('version_conflict', 'The alert changed meanwhile; reload it', this.versionOf(alert));
    }
  }

  private versionOf(alert: Notification) {
    return { state: alert.state, version: alert.version };
  }

  private changed(tx: Tx, row: Notification): NotificationView {
    this.announce(tx, row);
    return toNotificationView(row, false);
  }

  private announce(tx: Tx, row: Notification) {
    this.realtime.emit('systemAlertUpdated', toAlertUpdate(row), { tx });
  }
}
