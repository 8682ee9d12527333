import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PrismaService, TransactionRunner } from '@retail/database';
import { TillPresence } from '@retail/realtime';
import type { DeviceStatusPayload } from '@retail/realtime-protocol';
import type { OpeningHours } from '@retail/workspaces';
import { storeOfflineKey, tillOfflineAlerts, tillOfflineKey } from '../rules/till-offline.rule.js';
import { NotificationsService, type PublishNotificationInput } from './notifications.service.js';

/** No store's delay is shorter (offlineAlertAfterSeconds is at least 30). */
const SHORTEST_DELAY_MS = 30_000;

/**
 * "Till offline while the store is open": swept with the other alerts (AlertSweepScheduler, once
 * per cluster), from presence in Redis, so it does not matter which replica saw the till go, or
 * whether it still lives. Each alert is raised once (its dedupe key); when the till is back, a
 * follow-up says so (tillIsBack).
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

  /**
   * THE place a till's return is handled: called once per return (on the replica whose presence
   * script saw the till come back online). For now it sends a follow-up `system.info` for each
   * offline alert raised for the till, or for its store, that has none yet; the stateful-alert
   * lifecycle resolves those alerts from here instead.
   */
  async tillIsBack({ companyId, workspaceId, deviceId }: DeviceStatusPayload): Promise<void> {
    const alerts = await this.prisma.notification.findMany({
      where: { companyId, dedupeKey: { in: [tillOfflineKey(deviceId), storeOfflineKey(workspaceId)] } },
      select: { id: true, kind: true, title: true, data: true, dedupeKey: true },
    });
    if (!alerts.length) return;
    const followUps: PublishNotificationInput[] = alerts.map((alert) => ({
      companyId,
      level: 'INFO',
      kind: alert.kind,
      scope: { type: 'workspace', workspaceId },
      title: alert.kind === 'store_offline' ? 'Store back online' : 'Till back online',
      message: alert.kind === 'store_offline' ? 'A till of the store is online again.' : 'The till is online again.',
      data: { workspaceId, deviceId, alertId: alert.id },
      // Once per alert, whichever till of the store comes back first.
      dedupeKey: `back:${alert.id}`,
    }));
    await this.transactions.run((tx) => this.notifications.publishMany(tx, followUps));
  }

  /** Alerts whose key was used already are not published again (no write for them). */
  private async notYetRaised(alerts: PublishNotificationInput[]): Promise<PublishNotificationInput[]> {
    if (!alerts.length) return [];
    const rows = await this.prisma.notification.findMany({
      where: { dedupeKey: { in: alerts.map((a) => a.dedupeKey!) } },
      select: { companyId: true, dedupeKey: true },
    });
    const raised = new Set(rows.map((row) => `${row.companyId}/${row.dedupeKey}`));
    return alerts.filter((a) => !raised.has(`${a.companyId}/${a.dedupeKey}`));
  }
}
