import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { databaseNow, PrismaService, type DailyTotals, type Tx } from '@retail/database';
import { WorkspacesService } from '@retail/workspaces';
import { businessDate, toDateColumn } from '../domain/business-date.js';
import { amountsByMethod, type Tender } from '../domain/cart-math.js';
import type { DailyTotalsQueryDto } from '../dto/sale.dto.js';
import { toDailyTotalsView } from '../views/pos.views.js';

type Counters = Partial<Record<keyof Omit<DailyTotals, 'workspaceId' | 'businessDate' | 'updatedAt'>, number>>;

/** Totals per store and local day, summed by the database so replicas never race in memory. */
@Injectable()
export class DailyTotalsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
  ) {}

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
