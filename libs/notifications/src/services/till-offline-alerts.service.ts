import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PrismaService, TransactionRunner } from '@retail/database';
import { TillPresence } from '@retail/realtime';
import type { DeviceStatusPayload } from '@retail/realtime-protocol';
import type { OpeningHours } from '@retail/workspaces';
import { ALERT_CONDITIONS } from '../alerts/alert-conditions.js';
import { tillOfflineAlerts } from '../rules/till-offline.rule.js';
import { NotificationsService, type PublishNotificationInput } from './notifications.service.js';

/** No store's delay is shorter (offlineAlertAfterSeconds is at least 30). */
const SHORTEST_DELAY_MS = 30_000;

/**
 * "Till offline while the store is open": swept with the other alerts (AlertSweepScheduler, once
 * per cluster), from presence in Redis, so it does not matter which replica saw the till go, or
 * whether it still lives. Each alert is raised once per outage (its dedupKey); when the till is
 * back, its alerts are resolved (tillIsBack), and an outage soon after reopens them (the lifecycle's
 * flapping control).
 */
@Injectable()
export class TillOfflineAlerts implements OnModuleInit {
  private readonly logger = new Logger('TillOfflineAlerts');

  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly notifications: NotificationsService,
    private readonly presence: TillPresence,
  ) {}

  onModuleInit(): void {
    this.presence.onStatusChange((change) => (change.status === 'online' ? this.tillIsBack(change) : undefined));
  }

  /** One pass over the tills offline for at least the shortest delay, store by store. */
  async sweepOnce(now = new Date()): Promise<{ created: number }> {
    const offline = await this.presence.offlineSince(new Date(now.getTime() - SHORTEST_DELAY_MS));
    if (!offline.length) return { created: 0 };
    const stores = await this.prisma.workspace.findMany({
      where: { archivedAt: null, devices: { some: { id: { in: offline.map((t) => t.deviceId) }, retired: false } } },
      select: {
        id: true,
        companyId: true,
        name: true,
        timeZone: true,
        openingHours: true,
        offlineAlertAfterSeconds: true,
        archivedAt: true,
        devices: { where: { retired: false }, select: { id: true, name: true } },
      },
    });
    const records = await this.presence.read(stores.flatMap((s) => s.devices.map((d) => d.id)));
    const offlineSince = (id: string) => {
      const record = records.get(id);
      return record?.status === 'offline' ? record.since : null;
    };
    const alerts = stores.flatMap(({ devices, openingHours, ...store }) =>
      tillOfflineAlerts(
        {
          ...store,
          openingHours: openingHours as OpeningHours | null,
          tills: devices.map((d) => ({ ...d, offlineSince: offlineSince(d.id) })),
        },
        now,
      ),
    );
    const raised = await this.notYetRaised(alerts);
    if (!raised.length) return { created: 0 };
    const published = await this.transactions.run((tx) => this.notifications.publishMany(tx, raised));
    const created = published.filter(Boolean).length;
    if (created) this.logger.log(`Raised ${created} offline alert(s)`);
    return { created };
  }

  /** A till is back online (seen once, by the replica whose presence script saw it): its offline alerts, and its store's, resolve. */
  async tillIsBack({ companyId, workspaceId, deviceId }: DeviceStatusPayload): Promise<void> {
    const conditions = [ALERT_CONDITIONS.tillOffline(deviceId), ALERT_CONDITIONS.storeOffline(workspaceId)];
    await this.notifications.resolveConditions(null, companyId, conditions).catch((error: Error) => {
      // The next return, or a hand, resolves it; the presence change itself stands.
      this.logger.warn(`Could not resolve the offline alerts of till ${deviceId}: ${error.message}`);
    });
  }

  /**
   * One alert per outage: none for a condition whose alert is still live, or was resolved since the
   * outage began (by hand, while the till stayed away). Repeats of a live alert would only add to its count.
   */
  private async notYetRaised(alerts: PublishNotificationInput[]): Promise<PublishNotificationInput[]> {
    if (!alerts.length) return [];
    const outageSince = (alert: PublishNotificationInput) => new Date(String(alert.data?.offlineSince));
    const rows = await this.prisma.notification.findMany({
      where: {
        dedupKey: { in: alerts.map((a) => a.dedupKey!) },
        OR: [
          { state: { in: ['open', 'acknowledged'] } },
          { resolvedAt: { gte: new Date(Math.min(...alerts.map((a) => outageSince(a).getTime()))) } },
        ],
      },
      select: { companyId: true, dedupKey: true, state: true, resolvedAt: true },
    });
    return alerts.filter(
      (alert) =>
        !rows.some(
          (row) =>
            row.companyId === alert.companyId &&
            row.dedupKey === alert.dedupKey &&
            (row.state !== 'resolved' || (row.resolvedAt !== null && row.resolvedAt >= outageSince(alert))),
        ),
    );
  }
}
