import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '@retail/database';
import { lotExpiryAlerts } from '../rules/lot-expiry.rule.js';
import { overdueCountAlerts } from '../rules/overdue-count.rule.js';
import { NotificationsService, type PublishNotificationInput } from './notifications.service.js';

// Keeps `IN (...)` lists of the pre-check reasonably short.
const KEY_CHUNK = 500;

/**
 * Runs the scheduled alert rules (expired / expiring lots, overdue counts). Idempotent: every
 * alert has a dedupe key that is unique per company in the database, so concurrent runs, on
 * one replica or several, still raise each alert once.
 */
@Injectable()
export class AlertSweepService {
  private readonly logger = new Logger('AlertSweep');

  constructor(
    private readonly prisma: PrismaService,
    private readonly notifications: NotificationsService,
  ) {}

  /** One pass of every rule, for every company or just `companyId`. */
  async sweepOnce(options: { now?: Date; companyId?: string } = {}): Promise<{ created: number }> {
    const now = options.now ?? new Date();
    const candidates = [
      ...(await lotExpiryAlerts(this.prisma, now, options.companyId)),
      ...(await overdueCountAlerts(this.prisma, now, options.companyId)),
    ];
    let created = 0;
    for (const alert of await this.notYetRaised(candidates)) {
      try {
        if (await this.notifications.publish(alert)) created++;
      } catch (error) {
        this.logger.error(`Could not raise ${alert.dedupeKey}: ${(error as Error).message}`);
      }
    }
    if (created) this.logger.log(`Raised ${created} alert(s)`);
    return { created };
  }

  /** Skips alerts raised by earlier sweeps without a write each; the unique key still decides races. */
  private async notYetRaised(alerts: PublishNotificationInput[]): Promise<PublishNotificationInput[]> {
    const raised = new Set<string>();
    for (let i = 0; i < alerts.length; i += KEY_CHUNK) {
      const keys = alerts.slice(i, i + KEY_CHUNK).map((a) => a.dedupeKey!);
      const rows = await this.prisma.notification.findMany({
        where: { dedupeKey: { in: keys } },
        select: { companyId: true, dedupeKey: true },
      });
      for (const row of rows) raised.add(`${row.companyId}/${row.dedupeKey}`);
    }
    return alerts.filter((a) => !raised.has(`${a.companyId}/${a.dedupeKey}`));
  }
}
