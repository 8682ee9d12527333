import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '@retail/auth';
import { toSafeInteger } from '@retail/common';
import { TransactionRunner, type PaymentMethod, type Tx } from '@retail/database';
import { StockLedger, type ProductRef } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import type { SaleWarning } from '@retail/realtime-protocol';
import { toDateColumn } from '../domain/business-date.js';
import { passedCashLimit } from '../domain/cart-math.js';
import type { AssessedSale } from '../domain/till-sale-rules.js';
import type { SaleView, TillSaleDto } from '../dto/sale.dto.js';
import { toDailyTotalsPayload, toSalePayload, toSaleView, type SaleWithLines } from '../views/pos.views.js';
import { CashAlerts, type DrawerFigures } from './cash-alerts.js';
import { storeArchived } from './cart-records.js';
import type { Till } from './pos-access.js';

/** A till sale checked and ready to store, with its content hash. */
export interface CheckedSale {
  sale: TillSaleDto;
  hash: string;
  assessed: AssessedSale;
}

/** What writing a batch did: the sales written now, and what it learnt of the others. */
export interface WrittenSales {
  written: SaleView[];
  /** Sales naming a drawer that is not this till's: not written. */
  unknownDrawers: string[];
  /** The content hash of each sale not written now that is stored (an earlier or concurrent upload's). */
  storedBefore: Map<string, string | null>;
}

// What pos_record_till_sales answers (migration 20261207143000): money and quantities as text, exact.
interface FunctionResult {
  written: Array<{ id: string; cashSessionId: string | null; businessDate: string; completedAt: string; warnings: string[] }>;
  unknownDrawers: string[];
  storedBefore: Array<{ id: string; contentHash: string | null }>;
  stock: Array<{ productId: string; quantity: string; minQuantity: number; taken: string }>;
  movements: Array<{ id: string; productId: string; saleId: string; quantity: string; createdAt: string }>;
  days: Array<{
    businessDate: string;
    salesCount: number;
    grossAmount: string;
    cashAmount: string;
    cardAmount: string;
    otherAmount: string;
  }>;
  drawers: Array<{
    id: string;
    workspaceId: string;
    deviceId: string;
    expectedCash: string;
    cashLimit: string;
    lateSalesCount: number;
    lateCashAmount: string;
    taken: string;
    takenSales: number;
    late: boolean;
  }>;
}

/**
 * Writes checked till sales of one till in one round trip (the pos_record_till_sales function:
 * the sales with their lines and payments, every product's stock once, each day's totals once,
 * each drawer once), then queues their events and alerts, which leave once the transaction commits.
 */
@Injectable()
export class TillSaleWriter {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: StockLedger,
    private readonly cashAlerts: CashAlerts,
    private readonly realtime: RealtimeService,
  ) {}

  /** Only what this transaction writes is counted: a sale a concurrent upload stored first is left to it. */
  async write(user: Principal, till: Till, checked: CheckedSale[]): Promise<WrittenSales> {
    const paid = checked.map(({ sale }) => sale.payments.map((payment) => ({ id: uuidv7(), saleId: sale.id, ...payment })));
    return this.transactions.run(async (tx) => {
      // In the same statement: an archived store's sales are not written at all (the function is not called).
      const [{ result }] = await tx.$queryRaw<[{ result: FunctionResult | null }]>`
        SELECT CASE WHEN w."archivedAt" IS NULL THEN pos_record_till_sales(
          ${JSON.stringify({ workspaceId: till.workspaceId, deviceId: till.id, userId: user.userId })}::jsonb,
          ${JSON.stringify(checked.map(toSaleRow))}::jsonb,
          ${JSON.stringify(checked.flatMap(toLineRows))}::jsonb,
          ${JSON.stringify(paid.flat())}::jsonb) END AS result
        FROM "Workspace" w WHERE w.id = ${till.workspaceId}::uuid`;
      if (!result) throw storeArchived();
      const byId = new Map(checked.map((c, i) => [c.sale.id, { ...c, payments: paid[i] }]));
      const written = result.written.map((w) => toSaleView(toStored(user, till, byId.get(w.id)!, w)));
      await this.announce(tx, user, till, written, result, checked);
      return {
        written,
        unknownDrawers: result.unknownDrawers,
        storedBefore: new Map(result.storedBefore.map((s) => [s.id, s.contentHash])),
      };
    });
  }

  private async announce(tx: Tx, user: Principal, till: Till, written: SaleView[], result: FunctionResult, checked: CheckedSale[]) {
    const { companyId } = user;
    for (const view of written) this.realtime.posSaleCompleted(toSalePayload(companyId, view), { tx });
    for (const day of result.days) {
      const { salesCount, grossAmount, cashAmount, cardAmount, otherAmount } = day;
      const figures = {
        salesCount,
        grossAmount: BigInt(grossAmount),
        cashAmount: BigInt(cashAmount),
        cardAmount: BigInt(cardAmount),
        otherAmount: BigInt(otherAmount),
      };
      this.realtime.updateDailyTotals(toDailyTotalsPayload(companyId, till.workspaceId, day.businessDate, figures), { tx });
    }
    const products = new Map<string, ProductRef>(
      checked.flatMap(({ assessed }) => assessed.lines.map((l) => [l.productId, { id: l.productId, sku: l.sku, name: l.name }])),
    );
    const entries = this.ledger.tillSaleEntries({
      companyId,
      workspaceId: till.workspaceId,
      userId: user.userId,
      products,
      stock: result.stock.map((s) => ({ ...s, quantity: BigInt(s.quantity), taken: BigInt(s.taken) })),
      movements: result.movements.map((m) => ({ ...m, quantity: BigInt(m.quantity), createdAt: new Date(m.createdAt) })),
    });
    await this.ledger.announce(tx, entries, 'created');
    for (const drawer of result.drawers) {
      const figures: DrawerFigures = {
        ...drawer,
        expectedCash: BigInt(drawer.expectedCash),
        cashLimit: BigInt(drawer.cashLimit),
        lateCashAmount: BigInt(drawer.lateCashAmount),
      };
      const [taken, expected, limit] = [BigInt(drawer.taken), figures.expectedCash, figures.cashLimit].map(toSafeInteger);
      if (drawer.late) await this.cashAlerts.lateSales(tx, companyId, figures, drawer.takenSales, taken);
      else if (passedCashLimit(expected - taken, expected, limit)) await this.cashAlerts.limitPassed(tx, companyId, figures);
    }
  }
}

function toSaleRow({ sale, hash, assessed }: CheckedSale) {
  const { money } = assessed;
  return {
    id: sale.id,
    sequence: sale.sequence ?? null,
    cashSessionId: sale.cashSessionId ?? null,
    total: money.total,
    paid: money.paid,
    change: money.change,
    cash: money.byMethod.CASH,
    card: money.byMethod.CARD,
    other: money.byMethod.OTHER,
    paysCash: sale.payments.some((p) => p.method === 'CASH'),
    occurredAt: assessed.occurredAt.toISOString(),
    warnings: assessed.warnings satisfies SaleWarning[],
    contentHash: hash,
  };
}

const toLineRows = ({ sale, assessed }: CheckedSale) =>
  assessed.lines.map((line) => ({ saleId: sale.id, ...line, unitPrice: String(line.unitPrice), lineTotal: String(line.lineTotal) }));

/** A written sale as Prisma's include would read it back, from what was sent and what the database decided. */
function toStored(
  user: Principal,
  till: Till,
  { sale, hash, assessed, payments }: CheckedSale & { payments: Array<{ id: string; method: PaymentMethod; amount: number }> },
  written: FunctionResult['written'][number],
): SaleWithLines {
  const completedAt = new Date(written.completedAt);
  const { money } = assessed;
  return {
    id: sale.id,
    workspaceId: till.workspaceId,
    deviceId: till.id,
    source: 'till',
    cashierId: user.userId,
    checkedOutById: user.userId,
    cartId: null,
    sequence: sale.sequence ?? null,
    cashSessionId: written.cashSessionId,
    total: BigInt(money.total),
    paid: BigInt(money.paid),
    change: BigInt(money.change),
    businessDate: toDateColumn(written.businessDate),
    occurredAt: assessed.occurredAt,
    completedAt,
    warnings: written.warnings,
    contentHash: hash,
    lines: assessed.lines.map((line) => ({ saleId: sale.id, ...line, returnedQuantity: 0 })),
    payments: payments.map(({ id, method, amount }) => ({
      id,
      saleId: sale.id,
      cartId: null,
      method,
      amount: BigInt(amount),
      createdAt: completedAt,
    })),
  };
}
