import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { databaseNow, PrismaService, type DailyTotals, type Tx } from '@retail/database';
import { WorkspacesService } from '@retail/workspaces';
import { businessDate, toDateColumn } from '../domain/business-date.js';
import { amountsByMethod, type AmountsByMethod, type Tender } from '../domain/cart-math.js';
import type { DailyTotalsQueryDto } from '../dto/sale.dto.js';
import { toDailyTotalsView } from '../views/pos.views.js';

type Counters = Partial<Record<keyof Omit<DailyTotals, 'workspaceId' | 'businessDate' | 'updatedAt'>, number>>;

/** One day's share of some sales: how many, their total, and what the store kept by method. */
export interface DaySales {
  day: string;
  sales: number;
  gross: number;
  byMethod: AmountsByMethod;
}

/** The sales of a batch summed per local day, in day order. */
export function salesByDay(sales: Array<{ businessDate: string; total: number; byMethod: AmountsByMethod }>): DaySales[] {
  const days = new Map<string, DaySales>();
  for (const { businessDate: day, total, byMethod } of sales) {
    const sum = days.get(day) ?? { day, sales: 0, gross: 0, byMethod: { CASH: 0, CARD: 0, OTHER: 0 } };
    sum.sales += 1;
    sum.gross += total;
    for (const method of ['CASH', 'CARD', 'OTHER'] as const) sum.byMethod[method] += byMethod[method];
    days.set(day, sum);
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}

/** Totals per store and local day, summed by the database so replicas never race in memory. */
@Injectable()
export class DailyTotalsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
  ) {}

  /**
   * Sales added to one store's days, each day's figures summed beforehand: one statement however
   * many sales and days, the rows taken in day order so concurrent batches cannot deadlock.
   * Answers the new totals of every day touched.
   */
  addSales(tx: Tx, workspaceId: string, days: DaySales[]): Promise<DailyTotals[]> {
    const column = (figure: (d: DaySales) => number) => days.map(figure);
    return tx.$queryRaw<DailyTotals[]>`
      INSERT INTO "DailyTotals" ("workspaceId", "businessDate", "salesCount", "grossAmount", "cashAmount", "cardAmount", "otherAmount", "updatedAt")
      SELECT ${workspaceId}::uuid, d.day, d.sales, d.gross, d.cash, d.card, d.other, now()
      FROM unnest(${days.map((d) => d.day)}::date[], ${column((d) => d.sales)}::int[], ${column((d) => d.gross)}::bigint[],
        ${column((d) => d.byMethod.CASH)}::bigint[], ${column((d) => d.byMethod.CARD)}::bigint[], ${column((d) => d.byMethod.OTHER)}::bigint[])
        AS d(day, sales, gross, cash, card, other)
      ORDER BY d.day
      ON CONFLICT ("workspaceId", "businessDate") DO UPDATE SET
        "salesCount" = "DailyTotals"."salesCount" + EXCLUDED."salesCount",
        "grossAmount" = "DailyTotals"."grossAmount" + EXCLUDED."grossAmount",
        "cashAmount" = "DailyTotals"."cashAmount" + EXCLUDED."cashAmount",
        "cardAmount" = "DailyTotals"."cardAmount" + EXCLUDED."cardAmount",
        "otherAmount" = "DailyTotals"."otherAmount" + EXCLUDED."otherAmount",
        "updatedAt" = now()
      RETURNING *`;
  }

  /** Payments given back: refunds of the day, by method; the sales figures stay as they are. */
  addRefunds(tx: Tx, workspaceId: string, day: string, refunds: Tender[]): Promise<DailyTotals> {
    const { CASH, CARD, OTHER } = amountsByMethod(refunds);
    const refundAmount = CASH + CARD + OTHER;
    return this.increment(tx, workspaceId, day, {
      refundsCount: refunds.length,
      refundAmount,
      cashRefunded: CASH,
      cardRefunded: CARD,
      otherRefunded: OTHER,
    });
  }

  async get(user: Principal, { workspaceId, date }: DailyTotalsQueryDto) {
    const workspace = await this.workspaces.assertVisible(user, workspaceId);
    const day = date ?? businessDate(await databaseNow(this.prisma), workspace.timeZone);
    const row = await this.prisma.dailyTotals.findUnique({
      where: { workspaceId_businessDate: { workspaceId, businessDate: toDateColumn(day) } },
    });
    return toDailyTotalsView(user.companyId, workspaceId, day, row);
  }

  /** INSERT ... ON CONFLICT DO UPDATE SET x = x + n: atomic even for the day's first row. */
  private increment(tx: Tx, workspaceId: string, day: string, by: Counters): Promise<DailyTotals> {
    const key = { workspaceId, businessDate: toDateColumn(day) };
    return tx.dailyTotals.upsert({
      where: { workspaceId_businessDate: key },
      create: { ...key, ...by },
      update: Object.fromEntries(Object.entries(by).map(([column, n]) => [column, { increment: n }])),
    });
  }
}
