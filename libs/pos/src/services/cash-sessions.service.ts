import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@retail/database';
import type { Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import type { CloseCashSessionDto, OpenCashSessionDto } from '../dto/cash-session.dto.js';
import { toCashSessionView } from '../views/pos.views.js';
import { CashAlerts } from './cash-alerts.js';
import { PosAccess } from './pos-access.js';

/** A device's drawer: one open at a time (a unique index on openDeviceId), fed by checkout (bookCartSale) and till sales (pos_record_till_sales). */
@Injectable()
export class CashSessionsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly access: PosAccess,
    private readonly cashAlerts: CashAlerts,
  ) {}

  async open(user: Principal, { deviceId, openingFloat, cashLimit }: OpenCashSessionDto) {
    const device = await this.access.device(user, deviceId);
    // A transaction of one statement, so an Idempotency-Key can be stored with it.
    return this.transactions.run(async (tx) => {
      // ON CONFLICT DO NOTHING: a concurrent open on another replica cannot make two drawers.
      const [session] = await tx.cashSession.createManyAndReturn({
        data: [
          {
            workspaceId: device.workspaceId,
            deviceId: device.id,
            openDeviceId: device.id,
            openingFloat,
            expectedCash: openingFloat,
            cashLimit,
            openedById: user.userId,
          },
        ],
        skipDuplicates: true,
      });
      if (!session) throw AppError.conflict('cash_session_open', 'This device already has an open cash session');
      return toCashSessionView(session);
    });
  }

  async get(user: Principal, id: string) {
    return toCashSessionView(await this.access.cashSessionToRead(user, id));
  }

  async close(user: Principal, id: string, { countedCash }: CloseCashSessionDto) {
    await this.access.cashSession(user, id);
    return this.transactions.run(async (tx) => {
      const [session] = await tx.cashSession.updateManyAndReturn({
        where: { id, status: 'OPEN' },
        data: { status: 'CLOSED', openDeviceId: null, closedAt: new Date(), countedCash: countedCash ?? null },
      });
      if (!session) throw AppError.conflict('cash_session_closed', 'The cash session is already closed');
      await this.cashAlerts.limitCleared(tx, user.companyId, session.id);
      return toCashSessionView(session);
    });
  }
}
