import { Injectable } from '@nestjs/common';
import { visibleInWorkspace, type Principal } from '@retail/auth';
import { AppError, decodeCursor, toPage } from '@retail/common';
import { type Db, type InventoryCount, Prisma, PrismaService, TransactionRunner, type Tx } from '@retail/database';
import { RealtimeService } from '@retail/realtime';
import { ALERT_CONDITIONS, NotificationsService } from '@retail/notifications';
import type { CountPayload } from '@retail/realtime-protocol';
import { WorkspacesService } from '@retail/workspaces';
import type { CountLinesQueryDto, CreateCountDto, PutCountLinesDto } from '../dto/count.dto.js';
import { COUNT_LINE_INCLUDE, toCountLineView } from '../views/inventory.views.js';
import { ProductsService } from './products.service.js';
import { StockLedger } from './stock-ledger.js';

type CountLineView = ReturnType<typeof toCountLineView>;

/** Open counts one store may have at once: each holds a line per product counted, and a full one per product of the company. */
export const MAX_OPEN_COUNTS_PER_STORE = 20;

/**
 * Stock counts, taken while the store trades. A line keeps the stock at the moment it was counted
 * (`expectedQuantity`); closing moves stock by counted − that, so whatever was sold or received
 * after the counting stays on top of the count. Every step is a fixed number of statements,
 * whatever the size of the count: its answers are summaries, and its lines are paged.
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
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * One line per product (the given ones, or all of the company's: a full count), expecting today's
   * stock. A store has at most one open full count, and MAX_OPEN_COUNTS_PER_STORE open counts.
   */
  async create(user: Principal, { workspaceId, productIds }: CreateCountDto) {
    await this.workspaces.assertVisible(user, workspaceId);
    if (productIds) await this.products.requireMany(user.companyId, productIds);
    const full = !productIds;
    return this.transactions.run(async (tx) => {
      await this.assertMayOpen(tx, workspaceId, full);
      const count = await tx.inventoryCount.create({ data: { workspaceId, full, createdById: user.userId } });
      await tx.$executeRaw`
        INSERT INTO "InventoryCountLine" ("countId", "productId", "expectedQuantity")
        SELECT ${count.id}::uuid, p.id, COALESCE(s.quantity, 0)
        FROM "Product" p
        LEFT JOIN "Stock" s ON s."workspaceId" = ${workspaceId}::uuid AND s."productId" = p.id
        WHERE p."companyId" = ${user.companyId}::uuid AND p."removedAt" IS NULL
          ${productIds ? Prisma.sql`AND p.id = ANY(${productIds}::uuid[])` : Prisma.empty}`;
      return this.announce(tx, user.companyId, count, []);
    });
  }

  /**
   * Records counted quantities, each with the stock at this moment; a product not yet in the count
   * joins it. Send lines as they are counted: a sale between counting and sending would be undone by the count.
   */
  async putLines(user: Principal, id: string, { lines }: PutCountLinesDto) {
    const count = await this.findVisible(user, id);
    const productIds = lines.map((l) => l.productId);
    await this.products.requireMany(user.companyId, productIds);
    return this.transactions.run(async (tx) => {
      await this.lockOpen(tx, id);
      await tx.$executeRaw`
        INSERT INTO "InventoryCountLine" ("countId", "productId", "expectedQuantity", "countedQuantity")
        SELECT ${id}::uuid, line."productId", COALESCE(s.quantity, 0), line.counted
        FROM unnest(${productIds}::uuid[], ${lines.map((l) => l.countedQuantity)}::int[]) AS line("productId", counted)
        LEFT JOIN "Stock" s ON s."workspaceId" = ${count.workspaceId}::uuid AND s."productId" = line."productId"
        ON CONFLICT ("countId", "productId") DO UPDATE
          SET "countedQuantity" = EXCLUDED."countedQuantity", "expectedQuantity" = EXCLUDED."expectedQuantity"`;
      const changed = await tx.inventoryCountLine.findMany({
        where: { countId: id, productId: { in: productIds } },
        include: COUNT_LINE_INCLUDE,
        orderBy: { product: { sku: 'asc' } },
      });
      const views = changed.map(toCountLineView);
      const counted = await tx.inventoryCount.findUniqueOrThrow({ where: { id } });
      return { count: await this.announce(tx, user.companyId, counted, views), lines: views };
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
      const entries = await this.ledger.applyCount(tx, {
        companyId: user.companyId,
        workspaceId: count.workspaceId,
        countId: id,
        userId: user.userId,
        reason: `Inventory count ${id}`,
      });
      const view = await this.announce(tx, user.companyId, closed, []);
      await this.ledger.announce(tx, entries, 'created');
      await this.notifications.resolveCondition(tx, user.companyId, ALERT_CONDITIONS.overdueCount(id)); // no longer overdue
      return view;
    });
  }

  async get(user: Principal, id: string) {
    return this.toView(this.prisma, await this.findVisible(user, id));
  }

  /** Ordered by sku, keyset-paged. */
  async lines(user: Principal, id: string, { cursor, limit }: CountLinesQueryDto) {
    await this.findVisible(user, id);
    const after = cursor ? decodeCursor(cursor) : undefined;
    const rows = await this.prisma.inventoryCountLine.findMany({
      where: { countId: id, ...(after ? { product: { sku: { gt: after.key } } } : {}) },
      include: COUNT_LINE_INCLUDE,
      orderBy: { product: { sku: 'asc' } },
      take: limit + 1,
    });
    return toPage(rows, limit, (l) => ({ key: l.product.sku, id: l.productId }), toCountLineView);
  }

  private async findVisible(user: Principal, id: string) {
    const count = await this.prisma.inventoryCount.findFirst({ where: { id, workspace: { companyId: user.companyId } } });
    return visibleInWorkspace(user, count, 'Inventory count');
  }

  /** Under a lock per store, so two counts opened at once are checked one after the other. */
  private async assertMayOpen(tx: Tx, workspaceId: string, full: boolean) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`inventory-count:${workspaceId}`}, 0))`;
    const openFull = full
      ? await tx.inventoryCount.findFirst({ where: { workspaceId, status: 'OPEN', full: true }, select: { id: true } })
      : null;
    if (openFull) {
      throw AppError.conflict('full_count_open', 'This store already has an open full count: count into it, or close it first', {
        countId: openFull.id,
      });
    }
    if ((await tx.inventoryCount.count({ where: { workspaceId, status: 'OPEN' } })) >= MAX_OPEN_COUNTS_PER_STORE) {
      throw AppError.conflict(
        'too_many_open_counts',
        `This store has ${MAX_OPEN_COUNTS_PER_STORE} open counts, the most it may: close one first`,
      );
    }
  }

  /** Takes the count's row lock while it is open, so lines cannot change under a concurrent close. */
  private async lockOpen(tx: Tx, id: string) {
    const { count } = await tx.inventoryCount.updateMany({ where: { id, status: 'OPEN' }, data: { updatedAt: new Date() } });
    if (!count) throw countClosed();
  }

  /** The count with its summary, counted by the database in one statement. */
  private async toView(db: Db, count: InventoryCount) {
    const [summary] = await db.$queryRaw<[CountPayload['count']['summary']]>`
      SELECT count(*)::int AS lines, count("countedQuantity")::int AS counted,
        (SELECT count(*)::int FROM "InventoryMovement" WHERE "countId" = ${count.id}::uuid) AS adjusted
      FROM "InventoryCountLine" WHERE "countId" = ${count.id}::uuid`;
    return {
      id: count.id,
      workspaceId: count.workspaceId,
      status: count.status,
      summary,
      createdAt: count.createdAt.toISOString(),
      closedAt: count.closedAt?.toISOString() ?? null,
    };
  }

  /** inventory.count.updated: the summary and only the lines that changed, never the whole count. */
  private async announce(tx: Tx, companyId: string, count: InventoryCount, changed: CountLineView[]) {
    const { workspaceId, ...rest } = await this.toView(tx, count);
    const payload: CountPayload = {
      companyId,
      workspaceId,
      count: rest,
      lines: changed.map(({ productId, expectedQuantity, countedQuantity }) => ({ productId, expectedQuantity, countedQuantity })),
    };
    this.realtime.emit('inventoryCountUpdated', payload, { tx });
    return { workspaceId, ...rest };
  }
}

const countClosed = () => AppError.conflict('count_closed', 'The count is already closed');
