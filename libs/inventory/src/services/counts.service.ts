import { Injectable } from '@nestjs/common';
import { type Db, PrismaService, TransactionRunner, type Tx } from '@retail/database';
import { visibleInWorkspace, type Principal } from '@retail/auth';
import { AppError, toSafeInteger } from '@retail/common';
import { RealtimeService } from '@retail/realtime';
import type { CountPayload } from '@retail/realtime-protocol';
import { WorkspacesService } from '@retail/workspaces';
import type { CreateCountDto, PutCountLinesDto } from '../dto/count.dto.js';
import { COUNT_INCLUDE, toCountView, toMovementView, type CountWithLines } from '../views/inventory.views.js';
import { ProductsService } from './products.service.js';
import { StockLedger } from './stock-ledger.js';

/**
 * Stock counts: lines hold the expected quantity (stock when the line was added) and the counted
 * one; closing applies each difference as an ADJUSTMENT movement, in the same transaction.
 */
@Injectable()
export class CountsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly workspaces: WorkspacesService,
    private readonly products: ProductsService,
    private readonly ledger: StockLedger,
    private readonly realtime: RealtimeService,
  ) {}

  async create(user: Principal, { workspaceId, productIds }: CreateCountDto) {
    await this.workspaces.assertVisible(user, workspaceId);
    const products = productIds
      ? await this.products.requireMany(user.companyId, productIds)
      : await this.prisma.product.findMany({ where: { companyId: user.companyId } });
    return this.transactions.run(async (tx) => {
      const expected = await this.stockOf(
        tx,
        workspaceId,
        products.map((p) => p.id),
      );
      const count = await tx.inventoryCount.create({
        data: {
          workspaceId,
          createdById: user.userId,
          lines: { create: products.map((p) => ({ productId: p.id, expectedQuantity: expected.get(p.id) ?? 0 })) },
        },
        include: COUNT_INCLUDE,
      });
      return this.announce(tx, user.companyId, count);
    });
  }

  /** Records counted quantities; a product not yet in the count joins it with today's stock as expected. */
  async putLines(user: Principal, id: string, { lines }: PutCountLinesDto) {
    const count = await this.findVisible(user, id);
    await this.products.requireMany(
      user.companyId,
      lines.map((l) => l.productId),
    );
    return this.transactions.run(async (tx) => {
      await this.lockOpen(tx, id);
      const expected = await this.stockOf(
        tx,
        count.workspaceId,
        lines.map((l) => l.productId),
      );
      for (const { productId, countedQuantity } of lines) {
        await tx.inventoryCountLine.upsert({
          where: { countId_productId: { countId: id, productId } },
          create: { countId: id, productId, expectedQuantity: expected.get(productId) ?? 0, countedQuantity },
          update: { countedQuantity },
        });
      }
      return this.announce(tx, user.companyId, await tx.inventoryCount.findUniqueOrThrow({ where: { id }, include: COUNT_INCLUDE }));
    });
  }

  async close(user: Principal, id: string) {
    const count = await this.findVisible(user, id);
    return this.transactions.run(async (tx) => {
      const [closed] = await tx.inventoryCount.updateManyAndReturn({
        where: { id, status: 'OPEN' },
        data: { status: 'CLOSED', closedAt: new Date() },
      });
      if (!closed) throw countClosed();
      // Ordered by product id, like every multi-row stock change, to avoid deadlocks.
      const lines = await tx.inventoryCountLine.findMany({
        where: { countId: id },
        include: { product: true },
        orderBy: { productId: 'asc' },
      });
      const entries = [];
      for (const line of lines) {
        const expected = toSafeInteger(line.expectedQuantity);
        if (line.countedQuantity === null || line.countedQuantity === expected) continue;
        entries.push(
          await this.ledger.record(tx, {
            companyId: user.companyId,
            type: 'ADJUSTMENT',
            product: line.product,
            workspaceId: count.workspaceId,
            quantity: line.countedQuantity - expected,
            reason: `Inventory count ${id}`,
            userId: user.userId,
            countId: id,
          }),
        );
      }
      const view = await this.announce(
        tx,
        user.companyId,
        await tx.inventoryCount.findUniqueOrThrow({ where: { id }, include: COUNT_INCLUDE }),
      );
      for (const entry of entries) await this.ledger.announce(tx, entry, 'created');
      return { count: view, adjustments: entries.map((e) => toMovementView(e.movement)) };
    });
  }

  async get(user: Principal, id: string) {
    await this.findVisible(user, id);
    return toCountView(await this.prisma.inventoryCount.findUniqueOrThrow({ where: { id }, include: COUNT_INCLUDE }));
  }

  private async findVisible(user: Principal, id: string) {
    const count = await this.prisma.inventoryCount.findFirst({ where: { id, workspace: { companyId: user.companyId } } });
    return visibleInWorkspace(user, count, 'Inventory count');
  }

  /** Takes the count's row lock while it is open, so lines cannot change under a concurrent close. */
  private async lockOpen(tx: Tx, id: string) {
    const { count } = await tx.inventoryCount.updateMany({ where: { id, status: 'OPEN' }, data: { updatedAt: new Date() } });
    if (!count) throw countClosed();
  }

  private async stockOf(db: Db, workspaceId: string, productIds: string[]) {
    const rows = await db.stock.findMany({ where: { workspaceId, productId: { in: productIds } } });
    return new Map(rows.map((r) => [r.productId, r.quantity]));
  }

  private announce(tx: Tx, companyId: string, count: CountWithLines) {
    const view = toCountView(count);
    const payload: CountPayload = {
      companyId,
      workspaceId: view.workspaceId,
      count: {
        id: view.id,
        status: view.status,
        lines: view.lines.map(({ productId, expectedQuantity, countedQuantity }) => ({ productId, expectedQuantity, countedQuantity })),
        createdAt: view.createdAt,
        closedAt: view.closedAt,
      },
    };
    this.realtime.emit('inventoryCountUpdated', payload, { tx });
    return view;
  }
}

const countClosed = () => AppError.conflict('count_closed', 'The count is already closed');
