import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { PrismaService } from '@retail/database';
import { newestFirstAfter, newestFirstOrder, toPage } from '@retail/common';
import { WorkspacesService } from '@retail/workspaces';
import type { SalesQueryDto } from '../dto/sale.dto.js';
import { SALE_INCLUDE, toSaleView } from '../views/pos.views.js';
import { PosAccess } from './pos-access.js';

@Injectable()
export class SalesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
    private readonly access: PosAccess,
  ) {}

  async get(user: Principal, id: string) {
    await this.access.sale(user, id);
    return toSaleView(await this.prisma.sale.findUniqueOrThrow({ where: { id }, include: SALE_INCLUDE }));
  }

  /** Newest first, by when the server recorded them, cursor-paged, optionally within [from, to). */
  async list(user: Principal, { workspaceId, from, to, cursor, limit }: SalesQueryDto) {
    const workspaceIds = (await this.workspaces.visibleOrAll(user, workspaceId)).map((s) => s.id);
    const rows = await this.prisma.sale.findMany({
      where: {
        AND: [{ workspaceId: { in: workspaceIds } }, { completedAt: { gte: from, lt: to } }, newestFirstAfter('completedAt', cursor)],
      },
      include: SALE_INCLUDE,
      orderBy: newestFirstOrder('completedAt'),
      take: limit + 1,
    });
    return toPage(rows, limit, (s) => ({ key: s.completedAt.toISOString(), id: s.id }), toSaleView);
  }
}
