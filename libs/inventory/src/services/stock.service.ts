import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { decodeCursor, toPage } from '@retail/common';
import { Prisma, PrismaService, TransactionRunner } from '@retail/database';
import { WorkspacesService } from '@retail/workspaces';
import type { SetMinQuantityDto, StockQueryDto } from '../dto/stock.dto.js';
import { toStockLevel } from '../views/inventory.views.js';
import { ProductsService } from './products.service.js';
import { StockAlerts } from './stock-alerts.js';

interface StockListRow {
  workspaceId: string;
  productId: string;
  sku: string;
  name: string;
  quantity: bigint;
  minQuantity: number;
}

@Injectable()
export class StockService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
    private readonly products: ProductsService,
    private readonly transactions: TransactionRunner,
    private readonly alerts: StockAlerts,
  ) {}

  /**
   * One row per visible store and product, including products never moved there (quantity 0),
   * by sku then store, keyset-paged: one page is one bounded query, however many stores × products.
   */
  async list(user: Principal, { workspaceId, productId, cursor, limit }: StockQueryDto) {
    const workspaceIds = (await this.workspaces.visibleOrAll(user, workspaceId)).map((s) => s.id);
    if (productId) await this.products.requireMany(user.companyId, [productId]);
    const after = cursor ? decodeCursor(cursor) : undefined;
    const rows = await this.prisma.$queryRaw<StockListRow[]>`
      SELECT w.id AS "workspaceId", p.id AS "productId", p.sku, p.name,
        COALESCE(s.quantity, 0) AS quantity, COALESCE(s."minQuantity", 0) AS "minQuantity"
      FROM "Product" p
      CROSS JOIN "Workspace" w
      LEFT JOIN "Stock" s ON s."workspaceId" = w.id AND s."productId" = p.id
      WHERE p."companyId" = ${user.companyId}::uuid AND p."removedAt" IS NULL AND w.id = ANY(${workspaceIds}::uuid[])
        ${productId ? Prisma.sql`AND p.id = ${productId}::uuid` : Prisma.empty}
        ${after ? Prisma.sql`AND (p.sku, w.id) > (${after.key}, ${after.id}::uuid)` : Prisma.empty}
      ORDER BY p.sku, w.id
      LIMIT ${limit + 1}`;
    return toPage(rows, limit, (r) => ({ key: r.sku, id: r.workspaceId }), toStockRow);
  }

  /**
   * Sets the low-stock threshold. Not a movement: the quantity is unchanged, so no warning fires
   * here (the next sale below it does); a threshold lowered to or under the stock resolves its alert.
   */
  async setMinQuantity(user: Principal, { workspaceId, productId, minQuantity }: SetMinQuantityDto) {
    await this.workspaces.assertVisible(user, workspaceId);
    const [product] = await this.products.requireMany(user.companyId, [productId]);
    return this.transactions.run(async (tx) => {
      const row = await tx.stock.upsert({
        where: { workspaceId_productId: { workspaceId, productId } },
        create: { workspaceId, productId, minQuantity },
        update: { minQuantity },
      });
      if (row.quantity >= BigInt(minQuantity)) await this.alerts.lowStockCleared(tx, user.companyId, workspaceId, productId);
      return toStockRow({ ...row, sku: product.sku, name: product.name });
    });
  }
}

const toStockRow = ({ workspaceId, productId, sku, name, quantity, minQuantity }: StockListRow) => {
  const level = toStockLevel(workspaceId, productId, { quantity, minQuantity });
  return { ...level, sku, name, low: level.quantity < level.minQuantity };
};
