import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { PrismaService } from '@retail/database';
import { WorkspacesService } from '@retail/workspaces';
import type { SetMinQuantityDto, StockQueryDto } from '../dto/stock.dto.js';
import { toStockLevel } from '../views/inventory.views.js';
import { ProductsService } from './products.service.js';

@Injectable()
export class StockService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
    private readonly products: ProductsService,
  ) {}

  /** One row per visible store and product, including products never moved there (quantity 0). */
  async list(user: Principal, { workspaceId, productId }: StockQueryDto) {
    const workspaces = await this.workspaces.visibleOrAll(user, workspaceId);
    const products = productId
      ? await this.products.requireMany(user.companyId, [productId])
      : await this.prisma.product.findMany({ where: { companyId: user.companyId }, orderBy: { sku: 'asc' } });
    const rows = await this.prisma.stock.findMany({
      where: {
        workspaceId: { in: workspaces.map((s) => s.id) },
        productId: productId ?? undefined,
        product: { companyId: user.companyId },
      },
    });
    const byKey = new Map(rows.map((r) => [`${r.workspaceId}:${r.productId}`, r]));
    return workspaces.flatMap((workspace) =>
      products.map((product) => {
        const level = toStockLevel(workspace.id, product.id, byKey.get(`${workspace.id}:${product.id}`) ?? null);
        return { ...level, sku: product.sku, name: product.name, low: level.quantity < level.minQuantity };
      }),
    );
  }

  /** Sets the low-stock threshold. Not a movement: the quantity is unchanged, so no warning fires here. */
  async setMinQuantity(user: Principal, { workspaceId, productId, minQuantity }: SetMinQuantityDto) {
    await this.workspaces.assertVisible(user, workspaceId);
    const [product] = await this.products.requireMany(user.companyId, [productId]);
    const row = await this.prisma.stock.upsert({
      where: { workspaceId_productId: { workspaceId, productId } },
      create: { workspaceId, productId, minQuantity },
      update: { minQuantity },
    });
    return { ...toStockLevel(workspaceId, productId, row), sku: product.sku, name: product.name, low: row.quantity < row.minQuantity };
  }
}
