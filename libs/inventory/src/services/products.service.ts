import { HttpStatus, Injectable } from '@nestjs/common';
import { type Product, type Db, PrismaService } from '@retail/database';
import type { Principal } from '@retail/auth';
import { AppError, decodeCursor, isUniqueViolation, toPage } from '@retail/common';
import type { CreateProductDto, ProductQueryDto, UpdateProductDto } from '../dto/product.dto.js';
import { toProductView } from '../views/inventory.views.js';

@Injectable()
export class ProductsService {
  constructor(private readonly prisma: PrismaService) {}

  /** Ordered by sku, keyset-paged. */
  async list(user: Principal, { q, cursor, limit }: ProductQueryDto) {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const rows = await this.prisma.product.findMany({
      where: {
        companyId: user.companyId,
        ...(q ? { OR: [{ sku: { contains: q, mode: 'insensitive' } }, { name: { contains: q, mode: 'insensitive' } }] } : {}),
        ...(after ? { sku: { gt: after.key } } : {}),
      },
      orderBy: { sku: 'asc' },
      take: limit + 1,
    });
    return toPage(rows, limit, (p) => ({ key: p.sku, id: p.id }), toProductView);
  }

  async create(user: Principal, dto: CreateProductDto) {
    try {
      return toProductView(await this.prisma.product.create({ data: { ...dto, companyId: user.companyId } }));
    } catch (error) {
      throw isUniqueViolation(error) ? skuTaken(dto.sku) : error;
    }
  }

  async update(user: Principal, id: string, dto: UpdateProductDto) {
    await this.requireMany(user.companyId, [id]);
    try {
      return toProductView(await this.prisma.product.update({ where: { id }, data: dto }));
    } catch (error) {
      throw isUniqueViolation(error) ? skuTaken(dto.sku!) : error;
    }
  }

  /** The company's products with these ids, in the same order; any unknown (or another company's) id is 404. */
  async requireMany(companyId: string, ids: string[], db: Db = this.prisma): Promise<Product[]> {
    const found = await db.product.findMany({ where: { companyId, id: { in: ids } } });
    const byId = new Map(found.map((p) => [p.id, p]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length) throw new AppError(HttpStatus.NOT_FOUND, 'not_found', 'Product not found', { productIds: missing });
    return ids.map((id) => byId.get(id)!);
  }
}

const skuTaken = (sku: string) => AppError.conflict('sku_taken', `A product with sku ${sku} already exists`);
