import { Injectable } from '@nestjs/common';
import { canAccessWorkspace, hasPermission, mayMoveTransfer, MOVEMENT_PERMISSION, TRANSFER_END, type Principal } from '@retail/auth';
import { AppError, byCreatedAt, newestFirstAfter, newestFirstOrder, toPage } from '@retail/common';
import { PrismaService, TransactionRunner } from '@retail/database';
import { WorkspacesService } from '@retail/workspaces';
import type { CreateMovementDto, MovementQueryDto, UpdateTransferDto } from '../dto/movement.dto.js';
import { toMovementView } from '../views/inventory.views.js';
import { ProductsService } from './products.service.js';
import { type LedgerEntry, StockLedger } from './stock-ledger.js';

const toResult = (entry: LedgerEntry) => ({ movement: toMovementView(entry.movement), stock: entry.stock });

/** IN, OUT, ADJUSTMENT and TRANSFER movements from the API; SALE and RETURN movements come from sales and returns. */
@Injectable()
export class MovementsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly workspaces: WorkspacesService,
    private readonly products: ProductsService,
    private readonly ledger: StockLedger,
  ) {}

  async create(user: Principal, dto: CreateMovementDto) {
    const workspaceId = dto.type === 'TRANSFER' ? dto.fromWorkspaceId : dto.workspaceId;
    await this.workspaces.assertVisible(user, workspaceId);
    const permission = MOVEMENT_PERMISSION[dto.type];
    if (!hasPermission(user, permission)) throw AppError.forbidden(`${dto.type} movements need the ${permission} permission`);
    // The destination may be any store of the company: its staff will receive the goods.
    if (dto.type === 'TRANSFER') await this.workspaces.assertInCompany(user.companyId, dto.toWorkspaceId);
    const [product] = await this.products.requireMany(user.companyId, [dto.productId]);
    return this.transactions.run(async (tx) => {
      const entry = await this.ledger.record(tx, {
        companyId: user.companyId,
        type: dto.type,
        product,
        workspaceId,
        toWorkspaceId: dto.type === 'TRANSFER' ? dto.toWorkspaceId : undefined,
        quantity: dto.quantity,
        reason: dto.reason,
        userId: user.userId,
        expiresAt: (dto.type === 'IN' || dto.type === 'ADJUSTMENT') && dto.expiresAt ? new Date(dto.expiresAt) : undefined,
      });
      await this.ledger.announce(tx, [entry], 'created');
      return toResult(entry);
    });
  }

  /** A transfer's status: its source dispatches or cancels it, its destination receives it (TRANSFER_END). */
  async updateTransfer(user: Principal, id: string, { status }: UpdateTransferDto) {
    const transfer = await this.prisma.inventoryMovement.findFirst({
      where: { id, product: { companyId: user.companyId } },
      include: { product: true },
    });
    const workspaces = [transfer?.workspaceId, transfer?.toWorkspaceId].filter((s): s is string => Boolean(s));
    if (!transfer || !workspaces.some((s) => canAccessWorkspace(user, s))) throw AppError.notFound('Movement');
    if (transfer.type !== 'TRANSFER') throw AppError.unprocessable('not_a_transfer', 'Only a transfer has a status to change');
    if (!mayMoveTransfer(user, transfer, status)) {
      const end = TRANSFER_END[status];
      throw AppError.forbidden(`Only the transfer's ${end} store may make it ${status}`, 'wrong_transfer_end');
    }
    return this.transactions.run(async (tx) => {
      const entry = await this.ledger.transition(tx, user.companyId, transfer, status);
      await this.ledger.announce(tx, [entry], 'updated');
      return toResult(entry);
    });
  }

  /** Newest first; a transfer is listed for both of its stores. */
  async list(user: Principal, { workspaceId, productId, countId, cursor, limit }: MovementQueryDto) {
    const workspaceIds = (await this.workspaces.visibleOrAll(user, workspaceId)).map((s) => s.id);
    const rows = await this.prisma.inventoryMovement.findMany({
      where: {
        AND: [
          { OR: [{ workspaceId: { in: workspaceIds } }, { toWorkspaceId: { in: workspaceIds } }] },
          productId ? { productId } : {},
          countId ? { countId } : {},
          newestFirstAfter('createdAt', cursor),
        ],
      },
      orderBy: newestFirstOrder('createdAt'),
      take: limit + 1,
    });
    return toPage(rows, limit, byCreatedAt, toMovementView);
  }
}
