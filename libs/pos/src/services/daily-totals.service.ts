import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { databaseNow, PrismaService, type DailyTotals, type Tx } from '@retail/database';
import { WorkspacesService } from '@retail/workspaces';
import { businessDate, toDateColumn } from '../domain/business-date.js';
import type { AmountsByMethod } from '../domain/cart-math.js';
import type { DailyTotalsQueryDto } from '../dto/sale.dto.js';
import { toDailyTotalsPayload } from '../views/pos.views.js';

/** Totals per store and local day, summed by the database so replicas never race in memory. */
@Injectable()
export class DailyTotalsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
  ) {}

  /** One sale more: INSERT ... ON CONFLICT DO UPDATE SET x = x + n, returning the new totals. */
  add(tx: Tx, workspaceId: string, day: string, total: number, byMethod: AmountsByMethod): Promise<DailyTotals> {
    const key = { workspaceId, businessDate: toDateColumn(day) };
    const amounts = { grossAmount: total, cashAmount: byMethod.CASH, cardAmount: byMethod.CARD, otherAmount: byMethod.OTHER };
    return tx.dailyTotals.upsert({
      where: { workspaceId_businessDate: key },
      create: { ...key, salesCount: 1, ...amounts },
      update: {
        salesCount: { increment: 1 },
        grossAmount: { increment: amounts.grossAmount },
        cashAmount: { increment: amounts.cashAmount },
        cardAmount: { increment: amounts.cardAmount },
        otherAmount: { increment: amounts.otherAmount },
      },
    });
  }

  async get(user: Principal, { workspaceId, date }: DailyTotalsQueryDto) {
    const workspace = await this.workspaces.assertVisible(user, workspaceId);
    const day = date ?? businessDate(await databaseNow(this.prisma), workspace.timeZone);
    const row = await this.prisma.dailyTotals.findUnique({
      where: { workspaceId_businessDate: { workspaceId, businessDate: toDateColumn(day) } },
    });
    return toDailyTotalsPayload(user.companyId, workspaceId, day, row);
  }
}
