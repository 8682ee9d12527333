import { Injectable } from '@nestjs/common';
import type { CashSession } from '../../../../prisma/generated/client.js';
import type { Tx } from '../../../database/src/index.js';
import { RealtimeService } from '../../../realtime/src/index.js';

const asMoney = (minor: number) => (minor / 100).toFixed(2);

/**
 * The one place POS raises alerts; they leave only after the transaction commits. To be rewired
 * to NotificationsService.publish (persisted, for the store's managers) once libs/notifications exists.
 */
@Injectable()
export class CashAlerts {
  constructor(private readonly realtime: RealtimeService) {}

  async limitPassed(tx: Tx, companyId: string, session: CashSession, deviceName: string): Promise<void> {
    await this.realtime.systemAlert(
      {
        companyId,
        title: 'Cash limit exceeded',
        message: `The drawer of ${deviceName} holds ${asMoney(session.expectedCash)}, over its limit of ${asMoney(session.cashLimit)}`,
        kind: 'CASH_LIMIT',
        scope: { type: 'workspace', workspaceId: session.workspaceId },
        data: { cashSessionId: session.id, deviceId: session.deviceId, expectedCash: session.expectedCash, cashLimit: session.cashLimit },
      },
      { tx },
    );
  }
}
