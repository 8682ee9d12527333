import { Injectable } from '@nestjs/common';
import { type CashSession, TransactionRunner, type Tx } from '@retail/database';
import type { Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { passedCashLimit } from '../domain/cart-math.js';
import type { CloseCashSessionDto, OpenCashSessionDto } from '../dto/cash-session.dto.js';
import { toCashSessionView } from '../views/pos.views.js';
import { PosAccess } from './pos-access.js';

/** A device's drawer: one open at a time (a unique index on openDeviceId), fed by checkout and till sales (pos_record_till_sales). */
@Injectable()
export class CashSessionsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly access: PosAccess,
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
      return toCashSessionView(session);
    });
  }

  /**
   * Adds a cart sale's net cash to the device's open drawer, if any, and names that drawer on the
   * sale, in one statement; says whether that took the drawer over its limit.
   */
  async takeCash(
    tx: Tx,
    sale: { id: string; deviceId: string },
    amount: number,
  ): Promise<{ session: CashSession; passedLimit: boolean } | null> {
    if (amount <= 0) return null;
    const [session] = await tx.$queryRaw<CashSession[]>`
      WITH drawer AS (
        UPDATE "CashSession" SET "expectedCash" = "expectedCash" + ${amount}::bigint WHERE "openDeviceId" = ${sale.deviceId}::uuid RETURNING *
      ), named AS (
        UPDATE "Sale" SET "cashSessionId" = drawer.id FROM drawer WHERE "Sale".id = ${sale.id}::uuid
      )
      SELECT * FROM drawer`;
    if (!session) return null;
    const { expectedCash, cashLimit } = toCashSessionView(session);
    return { session, passedLimit: passedCashLimit(expectedCash - amount, expectedCash, cashLimit) };
  }
}
