import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../auth/src/index.js';
import { PrismaService } from '../../../database/src/index.js';
import { WorkspacesService } from '../../../workspaces/src/index.js';
import type { SetMinQuantityDto, StockQueryDto } from '../dto/stock.dto.js';
import { toStockLevel } from './movement-view.js';
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
    const stores = await this.workspaces.visibleOrAll(user, workspaceId);
    const products = productId
      ? await this.products.requireMany(user.companyId, [productId])
      : await this.prisma.product.findMany({ where: { companyId: user.companyId }, orderBy: { sku: 'asc' } });
    const rows = await this.prisma.stock.findMany({
      where: { workspaceId: { in: stores.map((s) => s.id) }, productId: productId ?? undefined, product: { companyId: user.companyId } },
    });
    const byKey = new Map(rows.map((r) => [`${r.workspaceId}:${r.productId}`, r]));
    return stores.flatMap((store) =>
      products.map((product) => {
        const level = toStockLevel(store.id, product.id, byKey.get(`${store.id}:${product.id}`) ?? null);
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
