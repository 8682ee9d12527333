import { Injectable } from '@nestjs/common';
import { type CashSession, TransactionRunner, type Tx } from '@retail/database';
import type { Principal } from '@retail/auth';
import { AppError, toSafeInteger } from '@retail/common';
import { passedCashLimit } from '../domain/cart-math.js';
import type { CloseCashSessionDto, OpenCashSessionDto } from '../dto/cash-session.dto.js';
import { toCashSessionView } from '../views/pos.views.js';
import { PosAccess } from './pos-access.js';

/** What some till sales put in one drawer: their cash net of change, and how many they are. */
export interface DrawerTake {
  sessionId: string;
  cash: number;
  sales: number;
}

export interface DrawerTaken {
  session: CashSession;
  /** It had closed: the sales were counted apart, as late. */
  late: boolean;
  passedLimit: boolean;
}

/** A device's drawer: one open at a time (a unique index on openDeviceId), fed by checkout and till sales. */
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
   * Till sales' net cash, per drawer they named or found open: an open drawer takes it into its
   * expected cash; a drawer closed since counts them apart (lateSalesCount, lateCashAmount) and
   * keeps its count. The rows are locked in id order first, as the status read decides. Answers
   * each drawer as it is now, with what these sales did to it.
   */
  async takeTillSales(tx: Tx, takes: DrawerTake[]): Promise<DrawerTaken[]> {
    if (!takes.length) return [];
    const sorted = [...takes].sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
    const rows = await tx.$queryRaw<Array<CashSession & { cash: bigint; late: boolean }>>`
      WITH take AS (
        SELECT * FROM unnest(${sorted.map((t) => t.sessionId)}::uuid[], ${sorted.map((t) => t.cash)}::bigint[], ${sorted.map((t) => t.sales)}::int[])
          AS t(id, cash, sales)
      ), locked AS MATERIALIZED (
        SELECT c.id, c.status = 'CLOSED' AS late FROM "CashSession" c JOIN take USING (id) ORDER BY c.id FOR UPDATE OF c
      )
      UPDATE "CashSession" c SET
        "expectedCash" = c."expectedCash" + CASE WHEN locked.late THEN 0 ELSE take.cash END,
        "lateSalesCount" = c."lateSalesCount" + CASE WHEN locked.late THEN take.sales ELSE 0 END,
        "lateCashAmount" = c."lateCashAmount" + CASE WHEN locked.late THEN take.cash ELSE 0 END
      FROM take JOIN locked USING (id)
      WHERE c.id = take.id
      RETURNING c.*, take.cash, locked.late`;
    return rows.map(({ cash, late, ...session }) => {
      const { expectedCash, cashLimit } = toCashSessionView(session);
      const taken = toSafeInteger(cash);
      return { session, late, passedLimit: !late && passedCashLimit(expectedCash - taken, expectedCash, cashLimit) };
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
