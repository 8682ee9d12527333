import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError, toSafeInteger } from '@retail/common';
import { databaseNow, PrismaService, TransactionRunner, type Prisma, type SaleReturn, type Tx } from '@retail/database';
import { StockLedger } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import { businessDate, fromDateColumn, toDateColumn } from '../domain/business-date.js';
import { amountsByMethod } from '../domain/cart-math.js';
import { contentHash } from '../domain/till-sale-rules.js';
import type { SaleReturnDto, SaleReturnView } from '../dto/sale.dto.js';
import { DailyTotalsService } from './daily-totals.service.js';
import { CashAlerts } from './cash-alerts.js';
import { PosAccess } from './pos-access.js';

type SaleToReturn = Awaited<ReturnType<PosAccess['sale']>>;

const returnConflict = (id: string) => AppError.conflict('return_conflict', `Return ${id} is already stored with other content`);

/**
 * Goods of a sale brought back: restocked in the sale's store, their refunds counted in the daily
 * totals of the return's own day, and its cash taken from the till's open drawer. A return's id is
 * the till's, like a sale's, so a retry stores it once. The sale's lines are locked while the
 * returned quantities grow, so returns racing on any replicas never exceed what was sold.
 */
@Injectable()
export class SaleReturnsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly access: PosAccess,
    private readonly ledger: StockLedger,
    private readonly dailyTotals: DailyTotalsService,
    private readonly realtime: RealtimeService,
    private readonly cashAlerts: CashAlerts,
  ) {}

  async record(user: Principal, saleId: string, request: SaleReturnDto): Promise<{ created: boolean; saleReturn: SaleReturnView }> {
    const sale = await this.access.sale(user, saleId);
    const deviceId = await this.returningTill(user, sale);
    const hash = returnHash(saleId, deviceId, request);
    const earlier = await this.prisma.saleReturn.findUnique({ where: { id: request.id } });
    if (earlier) return { created: false, saleReturn: answerReplay(earlier, hash) };
    assertRefundsWithinReturn(sale.lines, request);

    const written = await this.transactions.run((tx) => this.write(tx, user, sale, deviceId, hash, request));
    if (written) return { created: true, saleReturn: toSaleReturnView(written) };
    // A concurrent request stored this id first.
    return {
      created: false,
      saleReturn: answerReplay(await this.prisma.saleReturn.findUniqueOrThrow({ where: { id: request.id } }), hash),
    };
  }

  /** A return is taken in the sale's store: from one of its tills, or by someone not on a till. */
  private async returningTill(user: Principal, sale: SaleToReturn): Promise<string | null> {
    if (!user.deviceId) return null;
    const till = await this.access.till(user);
    if (till.workspaceId !== sale.workspaceId) {
      throw AppError.unprocessable('return_wrong_store', "A sale's goods come back in the store that sold them");
    }
    return till.id;
  }

  private async write(tx: Tx, user: Principal, sale: SaleToReturn, deviceId: string | null, hash: string, request: SaleReturnDto) {
    const { workspace } = sale;
    const day = businessDate(await databaseNow(tx), workspace.timeZone);
    const refundAmount = request.refunds.reduce((sum, r) => sum + r.amount, 0);
    const [saleReturn] = await tx.saleReturn.createManyAndReturn({
      data: [
        {
          id: request.id,
          saleId: sale.id,
          workspaceId: sale.workspaceId,
          deviceId,
          userId: user.userId,
          reason: request.reason,
          lines: request.lines as Prisma.InputJsonArray,
          refunds: request.refunds as Prisma.InputJsonArray,
          refundAmount,
          businessDate: toDateColumn(day),
          contentHash: hash,
        },
      ],
      skipDuplicates: true,
    });
    if (!saleReturn) return null;
    // Rows in the order every sale takes them (lines, then stock in product order, totals, drawer), so none can deadlock with another.
    const lines = [...request.lines].sort((a, b) => (a.productId < b.productId ? -1 : 1));
    await this.takeBack(tx, sale, lines);
    const entries = [];
    for (const line of lines) {
      const { product } = sale.lines.find((l) => l.productId === line.productId)!;
      entries.push(
        await this.ledger.record(tx, {
          companyId: user.companyId,
          type: 'RETURN',
          product,
          workspaceId: sale.workspaceId,
          quantity: line.quantity,
          userId: user.userId,
          reason: request.reason,
          saleId: sale.id,
          returnId: saleReturn.id,
        }),
      );
    }
    if (request.refunds.length) await this.dailyTotals.addRefunds(tx, sale.workspaceId, day, request.refunds);
    const cash = amountsByMethod(request.refunds).CASH;
    if (deviceId && cash > 0) await this.payFromDrawer(tx, user.companyId, deviceId, cash);

    await this.ledger.announce(tx, entries, 'created');
    const view = toSaleReturnView(saleReturn);
    this.realtime.emit(
      'posSaleReturned',
      {
        companyId: user.companyId,
        workspaceId: view.workspaceId,
        deviceId: view.deviceId,
        saleId: view.saleId,
        returnId: view.id,
        lines: view.lines,
        refunds: view.refunds,
        reason: view.reason,
        businessDate: view.businessDate,
        returnedAt: view.createdAt,
      },
      { tx },
    );
    return saleReturn;
  }

  /**
   * The returned quantities grow only while they stay within what was sold: the sale's lines
   * (`lines` in product order) are locked first, so a racing return waits, then sees what this one took.
   */
  private async takeBack(tx: Tx, sale: SaleToReturn, lines: SaleReturnDto['lines']): Promise<void> {
    const taken = await tx.$queryRaw<Array<{ productId: string }>>`
      WITH wanted AS (
        SELECT * FROM unnest(${lines.map((l) => l.productId)}::uuid[], ${lines.map((l) => l.quantity)}::int[]) AS w("productId", quantity)
      ), locked AS MATERIALIZED (
        SELECT l."productId", wanted.quantity FROM "SaleLine" l JOIN wanted USING ("productId")
        WHERE l."saleId" = ${sale.id}::uuid ORDER BY l."productId" FOR UPDATE OF l
      )
      UPDATE "SaleLine" l SET "returnedQuantity" = l."returnedQuantity" + locked.quantity
      FROM locked
      WHERE l."saleId" = ${sale.id}::uuid AND l."productId" = locked."productId" AND l."returnedQuantity" + locked.quantity <= l.quantity
      RETURNING l."productId"`;
    if (taken.length === lines.length) return;
    const now = await tx.saleLine.findMany({
      where: { saleId: sale.id },
      select: { productId: true, quantity: true, returnedQuantity: true },
    });
    throw AppError.conflict('return_exceeds_sale', 'The return is more than what is left of the sale to return', {
      lines: lines
        .filter((l) => !taken.some((t) => t.productId === l.productId))
        .map((l) => {
          const sold = now.find((n) => n.productId === l.productId);
          return { productId: l.productId, requested: l.quantity, sold: sold?.quantity ?? 0, returned: sold?.returnedQuantity ?? 0 };
        }),
    });
  }

  /**
   * Cash given back leaves the till's open drawer, if it has one; a drawer cannot give what it does
   * not hold. A drawer back at or under its limit clears its cash-limit alert.
   */
  private async payFromDrawer(tx: Tx, companyId: string, deviceId: string, cash: number): Promise<void> {
    const open = await tx.cashSession.findUnique({ where: { openDeviceId: deviceId }, select: { id: true, expectedCash: true } });
    if (!open) return;
    const [paid] = await tx.cashSession.updateManyAndReturn({
      where: { id: open.id, expectedCash: { gte: cash } },
      data: { expectedCash: { decrement: cash } },
    });
    if (paid && paid.expectedCash + BigInt(cash) > paid.cashLimit && paid.expectedCash <= paid.cashLimit) {
      await this.cashAlerts.limitCleared(tx, companyId, paid.id);
    }
    if (!paid) {
      throw AppError.unprocessable(
        'drawer_cash_insufficient',
        `The drawer holds ${toSafeInteger(open.expectedCash)}, less than the ${cash} to give back`,
      );
    }
  }
}

/** The same return sent again answers what was stored; the same id with another content is a conflict. */
function answerReplay(stored: SaleReturn, hash: string): SaleReturnView {
  if (stored.contentHash !== hash) throw returnConflict(stored.id);
  return toSaleReturnView(stored);
}

/** A refund may be less than the goods are worth (a restocking fee), never more. */
function assertRefundsWithinReturn(soldLines: SaleToReturn['lines'], request: SaleReturnDto): void {
  const worth = request.lines.reduce((sum, line) => {
    const sold = soldLines.find((l) => l.productId === line.productId);
    return sum + (sold ? toSafeInteger(sold.unitPrice) * line.quantity : 0);
  }, 0);
  const refunded = request.refunds.reduce((sum, r) => sum + r.amount, 0);
  if (refunded > worth) {
    throw AppError.unprocessable('refund_exceeds_return', `Refunds of ${refunded} exceed the ${worth} the returned goods were sold for`, {
      refunded,
      worth,
    });
  }
}

const returnHash = (saleId: string, deviceId: string | null, request: SaleReturnDto) =>
  contentHash({
    saleId,
    deviceId,
    lines: request.lines.map((l) => [l.productId, l.quantity]).sort(),
    refunds: request.refunds.map((r) => [r.method, r.amount]).sort(),
    reason: request.reason,
  });

function toSaleReturnView(row: SaleReturn): SaleReturnView {
  return {
    id: row.id,
    saleId: row.saleId,
    workspaceId: row.workspaceId,
    deviceId: row.deviceId,
    userId: row.userId,
    lines: row.lines as SaleReturnView['lines'],
    refunds: row.refunds as SaleReturnView['refunds'],
    refundAmount: toSafeInteger(row.refundAmount),
    reason: row.reason,
    businessDate: fromDateColumn(row.businessDate),
    createdAt: row.createdAt.toISOString(),
  };
}
