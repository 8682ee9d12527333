import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { PrismaService } from '@retail/database';
import { newestFirstAfter, newestFirstOrder, toPage } from '@retail/common';
import { WorkspacesService } from '@retail/workspaces';
import type { SalesQueryDto } from '../dto/sale.dto.js';
import type { DeviceSyncState } from '@retail/realtime-protocol';
import { SALE_INCLUDE, toSaleView } from '../views/pos.views.js';
import { PosAccess } from './pos-access.js';

/** How many missing receipt numbers a sync state lists. */
const MISSING_SHOWN = 1000;

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

  /**
   * Where a till's receipt counter stands: the highest number stored, the numbers missing between
   * the lowest and the highest (a sale lost on the way shows as a hole), and its latest sale.
   */
  async syncState(user: Principal, deviceId: string): Promise<DeviceSyncState> {
    await this.access.deviceToRead(user, deviceId);
    const [state] = await this.prisma.$queryRaw<[{ lastSequence: number | null; lastSaleAt: Date | null; missing: number[] }]>`
      WITH numbered AS (
        SELECT sequence, lag(sequence) OVER (ORDER BY sequence) AS previous
        FROM "Sale" WHERE "deviceId" = ${deviceId}::uuid AND sequence IS NOT NULL
      ), hole AS (
        -- At most the first MISSING_SHOWN of each hole: a counter that jumped by millions stays cheap.
        SELECT generate_series(previous + 1, LEAST(sequence - 1, previous + ${MISSING_SHOWN})) AS missing
        FROM numbered WHERE sequence - previous > 1
      )
      SELECT (SELECT max(sequence) FROM numbered) AS "lastSequence",
        (SELECT max("occurredAt") FROM "Sale" WHERE "deviceId" = ${deviceId}::uuid) AS "lastSaleAt",
        ARRAY(SELECT missing FROM hole ORDER BY missing LIMIT ${MISSING_SHOWN}) AS missing`;
    return { lastSequence: state.lastSequence, missingSequences: state.missing, lastSaleAt: state.lastSaleAt?.toISOString() ?? null };
  }
}
