import { Injectable } from '@nestjs/common';
import { toSafeInteger } from '@retail/common';
import type { CashSession, Tx } from '@retail/database';
import { ALERT_CONDITIONS, NotificationsService, type PublishNotificationInput } from '@retail/notifications';

const asMoney = (minor: number) => (minor / 100).toFixed(2);

/** What an alert says of a drawer. */
export type DrawerFigures = Pick<
  CashSession,
  'id' | 'workspaceId' | 'deviceId' | 'expectedCash' | 'cashLimit' | 'lateSalesCount' | 'lateCashAmount'
>;

/**
 * The one place POS raises alerts about drawers. They go to the store's managers, each by a
 * notification of their own (one condition, one alert per recipient, all resolved together); a
 * store without managers alerts the company's admins, never its cashiers. Stored in the sale's
 * transaction, sent after it commits.
 */
@Injectable()
export class CashAlerts {
  constructor(private readonly notifications: NotificationsService) {}

  /** The drawer's expected cash went over its limit. */
  async limitPassed(tx: Tx, companyId: string, session: DrawerFigures): Promise<void> {
    const [expectedCash, cashLimit] = [toSafeInteger(session.expectedCash), toSafeInteger(session.cashLimit)];
    await this.toManagers(tx, companyId, session, {
      level: 'ALERT',
      kind: 'CASH_LIMIT',
      title: 'Cash limit exceeded',
      message: (till) => `The drawer of ${till} holds ${asMoney(expectedCash)}, over its limit of ${asMoney(cashLimit)}`,
      data: { expectedCash, cashLimit },
      dedupKey: ALERT_CONDITIONS.cashLimit(session.id),
    });
  }

  /** The drawer is back at or under its limit, or closed: its cash-limit alerts resolve. */
  async limitCleared(tx: Tx, companyId: string, cashSessionId: string): Promise<void> {
    await this.notifications.resolveCondition(tx, companyId, ALERT_CONDITIONS.cashLimit(cashSessionId));
  }

  /** Till sales arrived for a drawer already closed: counted apart, its count left as it was. */
  async lateSales(tx: Tx, companyId: string, session: DrawerFigures, sales: number, cash: number): Promise<void> {
    const [lateSalesCount, lateCashAmount] = [session.lateSalesCount, toSafeInteger(session.lateCashAmount)];
    await this.toManagers(tx, companyId, session, {
      level: 'WARNING',
      kind: 'LATE_SALE',
      title: 'Sales after the drawer closed',
      message: (till) =>
        `${sales} sale(s) of ${till} (${asMoney(cash)} in cash) arrived after its drawer was closed; the count is unchanged`,
      data: { sales, cash, lateSalesCount, lateCashAmount },
    });
  }

  private async toManagers(
    tx: Tx,
    companyId: string,
    session: DrawerFigures,
    alert: Pick<PublishNotificationInput, 'level' | 'kind' | 'title' | 'dedupKey'> & {
      message: (till: string) => string;
      data: Record<string, unknown>;
    },
  ): Promise<void> {
    const { name: till } = await tx.posDevice.findUniqueOrThrow({ where: { id: session.deviceId }, select: { name: true } });
    const managers = await tx.user.findMany({
      where: { role: 'MANAGER', workspaces: { some: { workspaceId: session.workspaceId } } },
      select: { id: true },
    });
    const recipients = managers.length ? managers : await tx.user.findMany({ where: { companyId, role: 'ADMIN' }, select: { id: true } });
    const data = { cashSessionId: session.id, workspaceId: session.workspaceId, deviceId: session.deviceId, ...alert.data };
    const message = alert.message(till);
    await this.notifications.publishMany(
      tx,
      recipients.map(({ id: userId }) => ({
        companyId,
        ...alert,
        message,
        scope: { type: 'user', userId },
        workspaceId: session.workspaceId,
        data,
      })),
    );
  }
}
