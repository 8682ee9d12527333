import { Injectable } from '@nestjs/common';
import type { CashSession, Tx } from '@retail/database';
import { NotificationsService } from '@retail/notifications';
import { toCashSessionView } from '../views/pos.views.js';

const asMoney = (minor: number) => (minor / 100).toFixed(2);

/**
 * The one place POS raises alerts. A drawer passing its cash limit alerts the store's managers,
 * each by a notification of their own; a store without managers alerts the company's admins,
 * never its cashiers. Stored in the checkout's transaction, sent after it commits.
 */
@Injectable()
export class CashAlerts {
  constructor(private readonly notifications: NotificationsService) {}

  async limitPassed(tx: Tx, companyId: string, session: CashSession, deviceName: string): Promise<void> {
    const managers = await tx.user.findMany({
      where: { role: 'MANAGER', workspaces: { some: { workspaceId: session.workspaceId } } },
      select: { id: true },
    });
    const recipients = managers.length ? managers : await tx.user.findMany({ where: { companyId, role: 'ADMIN' }, select: { id: true } });
    const { expectedCash, cashLimit } = toCashSessionView(session);
    for (const { id: userId } of recipients) {
      await this.notifications.publish(
        {
          companyId,
          level: 'ALERT',
          kind: 'CASH_LIMIT',
          scope: { type: 'user', userId },
          title: 'Cash limit exceeded',
          message: `The drawer of ${deviceName} holds ${asMoney(expectedCash)}, over its limit of ${asMoney(cashLimit)}`,
          data: {
            cashSessionId: session.id,
            workspaceId: session.workspaceId,
            deviceId: session.deviceId,
            expectedCash,
            cashLimit,
          },
        },
        { tx },
      );
    }
  }
}
