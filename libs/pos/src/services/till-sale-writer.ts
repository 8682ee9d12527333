import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { TransactionRunner, type CashSession, type Tx } from '@retail/database';
import { StockLedger } from '@retail/inventory';
import { RealtimeService } from '@retail/realtime';
import type { SaleWarning } from '@retail/realtime-protocol';
import { fromDateColumn, toDateColumn } from '../domain/business-date.js';
import { keptByMethod } from '../domain/cart-math.js';
import type { AssessedSale } from '../domain/till-sale-rules.js';
import type { SaleView, TillSaleDto } from '../dto/sale.dto.js';
import { toDailyTotalsPayload, toSalePayload, toSaleView, type SaleWithLines } from '../views/pos.views.js';
import { CashAlerts } from './cash-alerts.js';
import { CashSessionsService, type DrawerTake } from './cash-sessions.service.js';
import { DailyTotalsService, salesByDay } from './daily-totals.service.js';
import type { Till } from './pos-access.js';
import { insertTillSales, type TillSaleToWrite } from './sale-records.js';

/** A till sale checked and ready to store, with its content hash and the drawer it goes to. */
export interface CheckedSale {
  sale: TillSaleDto;
  hash: string;
  assessed: AssessedSale;
  drawer: Pick<CashSession, 'id' | 'status'> | null;
}

/**
 * Writes checked till sales of one till with set-based statements, whose number does not grow
 * with the batch: the sales with their lines and payments, every product's stock once, each day's
 * totals once, each drawer once; then their events and alerts, which leave once it commits.
 */
@Injectable()
export class TillSaleWriter {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly ledger: StockLedger,
    private readonly dailyTotals: DailyTotalsService,
    private readonly cashSessions: CashSessionsService,
    private readonly cashAlerts: CashAlerts,
    private readonly realtime: RealtimeService,
  ) {}

  /** One transaction. Only what it inserted is counted: a sale a concurrent upload stored first is left to it. */
  async write(user: Principal, till: Till, checked: CheckedSale[]): Promise<SaleView[]> {
    const { companyId, userId } = user;
    const workspaceId = till.workspaceId;
    return this.transactions.run(async (tx) => {
      const sales = await insertTillSales(tx, { workspaceId, deviceId: till.id, userId }, checked.map(toRecord));
      if (!sales.length) return [];
      const entries = await this.ledger.recordTillSales(tx, {
        companyId,
        workspaceId,
        userId,
        lines: sales.flatMap((sale) =>
          sale.lines.map((l) => ({ saleId: sale.id, product: { id: l.productId, sku: l.sku, name: l.name }, quantity: l.quantity })),
        ),
      });
      const views = sales.map(toSaleView);
      const totals = await this.dailyTotals.addSales(
        tx,
        workspaceId,
        salesByDay(views.map((v) => ({ ...v, byMethod: keptByMethod(v.payments, v.change) }))),
      );
      const takes = drawerTakes(views);
      const drawers = await this.cashSessions.takeTillSales(tx, takes);
      await this.markLate(
        tx,
        sales,
        views,
        drawers.filter((d) => d.late).map((d) => d.session.id),
      );

      for (const view of views) this.realtime.posSaleCompleted(toSalePayload(companyId, view), { tx });
      for (const row of totals) {
        this.realtime.updateDailyTotals(toDailyTotalsPayload(companyId, workspaceId, fromDateColumn(row.businessDate), row), { tx });
      }
      for (const entry of entries) await this.ledger.announce(tx, entry, 'created');
      for (const { session, late, passedLimit } of drawers) {
        if (passedLimit) await this.cashAlerts.limitPassed(tx, companyId, session, till.name);
        const take = takes.find((t) => t.sessionId === session.id)!;
        if (late) await this.cashAlerts.lateSales(tx, companyId, session, till.name, take.sales, take.cash);
      }
      return views;
    });
  }

  /**
   * A drawer that closed between the check and the write took its sales as late: they say so too.
   * (Rare: the drawer's row lock decides, and the sales were written a moment before.)
   */
  private async markLate(tx: Tx, sales: SaleWithLines[], views: SaleView[], lateDrawers: string[]): Promise<void> {
    const unmarked = views.filter((v) => v.cashSessionId && lateDrawers.includes(v.cashSessionId) && !v.warnings.includes('late_sale'));
    if (!unmarked.length) return;
    await tx.$executeRaw`UPDATE "Sale" SET warnings = array_append(warnings, 'late_sale') WHERE id = ANY(${unmarked.map((v) => v.id)}::uuid[])`;
    for (const view of unmarked) view.warnings.push('late_sale');
    for (const sale of sales) if (unmarked.some((v) => v.id === sale.id)) sale.warnings.push('late_sale');
  }
}

function toRecord({ sale, hash, assessed, drawer }: CheckedSale): TillSaleToWrite {
  const { money } = assessed;
  return {
    sale: {
      id: sale.id,
      sequence: sale.sequence ?? null,
      cashSessionId: drawer?.id ?? null,
      total: BigInt(money.total),
      paid: BigInt(money.paid),
      change: BigInt(money.change),
      businessDate: toDateColumn(assessed.businessDate),
      occurredAt: assessed.occurredAt,
      warnings: assessed.warnings satisfies SaleWarning[],
      contentHash: hash,
    },
    lines: assessed.lines,
    payments: sale.payments,
  };
}

/** The cash of each drawer's sales, net of change, and their number. */
function drawerTakes(sales: SaleView[]): DrawerTake[] {
  const takes = new Map<string, DrawerTake>();
  for (const sale of sales) {
    if (!sale.cashSessionId) continue;
    const take = takes.get(sale.cashSessionId) ?? { sessionId: sale.cashSessionId, cash: 0, sales: 0 };
    take.cash += keptByMethod(sale.payments, sale.change).CASH;
    take.sales += 1;
    takes.set(sale.cashSessionId, take);
  }
  return [...takes.values()];
}
