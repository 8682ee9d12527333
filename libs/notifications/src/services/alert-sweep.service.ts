import { Injectable, Logger } from '@nestjs/common';
import { databaseNow, PrismaService } from '@retail/database';
import { AlertLifecycle } from '../alerts/alert-lifecycle.service.js';
import { lotExpiryAlerts } from '../rules/lot-expiry.rule.js';
import { overdueCountAlerts } from '../rules/overdue-count.rule.js';
import { NotificationsService, type PublishNotificationInput } from './notifications.service.js';

// Keeps `IN (...)` lists of the pre-check reasonably short.
const KEY_CHUNK = 500;
const LOT_EXPIRY = 'lot-expiry';

/**
 * Runs the scheduled alert rules (expired / expiring lots, overdue counts), and resolves the alerts
 * of lots since emptied. Idempotent: every alert has a dedup key, one live alert per key and
 * company in the database, so concurrent runs, on one replica or several, still raise each alert
 * once (a racing run only counts it again).
 */
@Injectable()
export class AlertSweepService {
  private readonly logger = new Logger('AlertSweep');

  constructor(
    private readonly prisma: PrismaService,
    private readonly notifications: NotificationsService,
    private readonly lifecycle: AlertLifecycle,
  ) {}

  /** One pass of every rule, for every company or just `companyId`, at the database's time by default. */
  async sweepOnce(options: { now?: Date; companyId?: string } = {}): Promise<{ created: number }> {
    const now = options.now ?? (await databaseNow(this.prisma));
    const since = (await this.prisma.sweepWatermark.findUnique({ where: { rule: LOT_EXPIRY } }))?.sweptAt ?? null;
    const candidates = [
      ...(await lotExpiryAlerts(this.prisma, now, { companyId: options.companyId, since })),
      ...(await overdueCountAlerts(this.prisma, now, options.companyId)),
    ];
    let created = 0;
    let failed = 0;
    for (const alert of await this.notYetRaised(candidates)) {
      try {
        if (await this.notifications.publish(alert)) created++;
      } catch (error) {
        failed++;
        this.logger.error(`Could not raise ${alert.dedupKey}: ${(error as Error).message}`);
      }
    }
    if (created) this.logger.log(`Raised ${created} alert(s)`);
    await this.lifecycle.resolveEmptiedLots(options.companyId);
    // Only a run over every company that raised everything moves the watermark, and never back.
    if (!options.companyId && !failed) await this.advanceWatermark(now);
    return { created };
  }

  private async advanceWatermark(sweptAt: Date) {
    const { count } = await this.prisma.sweepWatermark.updateMany({
      where: { rule: LOT_EXPIRY, sweptAt: { lt: sweptAt } },
      data: { sweptAt },
    });
    if (!count) await this.prisma.sweepWatermark.createMany({ data: [{ rule: LOT_EXPIRY, sweptAt }], skipDuplicates: true });
  }

  /** Skips alerts raised by earlier sweeps without a write each; the unique key still decides races. */
  private async notYetRaised(alerts: PublishNotificationInput[]): Promise<PublishNotificationInput[]> {
    const raised = new Set<string>();
    for (let i = 0; i < alerts.length; i += KEY_CHUNK) {
      const keys = alerts.slice(i, i + KEY_CHUNK).map((a) => a.dedupKey!);
      const rows = await this.prisma.notification.findMany({
        where: { dedupKey: { in: keys } },
        select: { companyId: true, dedupKey: true },
      });
      for (const row of rows) raised.add(`${row.companyId}/${row.dedupKey}`);
    }
    return alerts.filter((a) => !raised.has(`${a.companyId}/${a.dedupKey}`));
  }
}
