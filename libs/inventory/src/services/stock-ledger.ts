import { Injectable } from '@nestjs/common';
import type { InventoryMovement, MovementType, TransferStatus, Tx } from '@retail/database';
import { AppError, toSafeInteger } from '@retail/common';
import { RealtimeService } from '@retail/realtime';
import { crossedBelowMinimum } from '../domain/low-stock.js';
import { stockDeltaOnCreate, transferRestock } from '../domain/movement-rules.js';
import { type StockLevel, toMovementView, toStockLevel } from '../views/inventory.views.js';
import { type LowStockCrossing, StockAlerts } from './stock-alerts.js';

export interface ProductRef {
  id: string;
  sku: string;
  name: string;
}

export interface MovementInput {
  companyId: string;
  type: MovementType;
  product: ProductRef;
  /** The store; for a transfer, its source. */
  workspaceId: string;
  toWorkspaceId?: string;
  /** Signed for ADJUSTMENT, positive otherwise. */
  quantity: number;
  userId: string;
  reason?: string | null;
  /** IN only: the goods are also recorded as a lot with this expiry. */
  expiresAt?: Date;
  saleId?: string;
  countId?: string;
}

/** A movement as written, the stock it left in every store it touched, and the thresholds it crossed. */
export interface LedgerEntry {
  companyId: string;
  movement: InventoryMovement;
  stock: StockLevel[];
  lowStock: LowStockCrossing[];
}

/**
 * The only writer of stock. Every change is a movement row plus a stock update in the caller's
 * transaction. Decreases are conditional updates in the database (`quantity >= n`), so stock
 * never goes below zero whatever runs concurrently on any replica; a refused decrease throws
 * insufficient_stock and the caller's whole transaction rolls back.
 * Callers that touch several stock rows must do so in (workspaceId, productId) order to avoid deadlocks.
 */
@Injectable()
export class StockLedger {
  constructor(
    private readonly realtime: RealtimeService,
    private readonly alerts: StockAlerts,
  ) {}

  async record(tx: Tx, input: MovementInput): Promise<LedgerEntry> {
    const { companyId, type, product, workspaceId, toWorkspaceId, quantity } = input;
    const change = await this.changeStock(tx, companyId, workspaceId, product, stockDeltaOnCreate(type, quantity));
    const movement = await tx.inventoryMovement.create({
      data: {
        type,
        status: type === 'TRANSFER' ? 'PENDING' : null,
        productId: product.id,
        workspaceId,
        toWorkspaceId: toWorkspaceId ?? null,
        quantity,
        reason: input.reason ?? null,
        userId: input.userId,
        saleId: input.saleId ?? null,
        countId: input.countId ?? null,
      },
    });
    if (input.expiresAt) {
      await tx.stockLot.create({ data: { workspaceId, productId: product.id, quantity, expiresAt: input.expiresAt } });
    }
    const stock = [change.level];
    if (toWorkspaceId) stock.push(await this.level(tx, toWorkspaceId, product.id));
    return { companyId, movement, stock, lowStock: change.crossing ? [change.crossing] : [] };
  }

  /** Moves a transfer to its next status; RECEIVED stocks the destination, CANCELLED returns the goods to the source. */
  async transition(
    tx: Tx,
    companyId: string,
    transfer: InventoryMovement & { product: ProductRef },
    status: TransferStatus,
  ): Promise<LedgerEntry> {
    const from = transfer.status!;
    const restock = transferRestock(from, status);
    if (restock === undefined) {
      throw AppError.conflict('invalid_transition', `A ${from} transfer cannot become ${status}`, { from, to: status });
    }
    // Conditional on the status we read, so two concurrent receipts cannot both restock.
    const [movement] = await tx.inventoryMovement.updateManyAndReturn({ where: { id: transfer.id, status: from }, data: { status } });
    if (!movement) throw AppError.conflict('transfer_changed', 'The transfer changed meanwhile; reload it and retry');
    if (restock) {
      const target = restock === 'destination' ? movement.toWorkspaceId! : movement.workspaceId;
      await this.changeStock(tx, companyId, target, transfer.product, toSafeInteger(movement.quantity));
    }
    const stock = [
      await this.level(tx, movement.workspaceId, movement.productId),
      await this.level(tx, movement.toWorkspaceId!, movement.productId),
    ];
    return { companyId, movement, stock, lowStock: [] };
  }

  /** Queues the movement event and its low-stock warnings; both leave only after `tx` commits. */
  async announce(tx: Tx, entry: LedgerEntry, event: 'created' | 'updated'): Promise<void> {
    const payload = { companyId: entry.companyId, movement: toMovementView(entry.movement), stock: entry.stock };
    this.realtime.emit(event === 'created' ? 'inventoryMovementCreated' : 'inventoryMovementUpdated', payload, { tx });
    for (const crossing of entry.lowStock) await this.alerts.lowStock(tx, crossing);
  }

  private async changeStock(tx: Tx, companyId: string, workspaceId: string, product: ProductRef, delta: number) {
    const productId = product.id;
    if (delta > 0) {
      // INSERT ... ON CONFLICT DO UPDATE: atomic even when the row does not exist yet.
      const row = await tx.stock.upsert({
        where: { workspaceId_productId: { workspaceId, productId } },
        create: { workspaceId, productId, quantity: delta },
        update: { quantity: { increment: delta } },
      });
      return { level: toStockLevel(workspaceId, productId, row), crossing: null };
    }

    const take = -delta;
    const [row] = await tx.stock.updateManyAndReturn({
      where: { workspaceId, productId, quantity: { gte: take } },
      data: { quantity: { decrement: take } },
    });
    if (!row) {
      const current = await tx.stock.findUnique({ where: { workspaceId_productId: { workspaceId, productId } } });
      throw AppError.conflict('insufficient_stock', `Not enough ${product.name} (${product.sku}) in stock`, {
        workspaceId,
        productId,
        sku: product.sku,
        requested: take,
        available: toStockLevel(workspaceId, productId, current).quantity,
      });
    }
    await this.consumeLots(tx, workspaceId, productId, take);
    const level = toStockLevel(workspaceId, productId, row);
    const crossed = crossedBelowMinimum(level.quantity + take, level.quantity, level.minQuantity);
    return {
      level,
      crossing: crossed ? { companyId, workspaceId, product, quantity: level.quantity, minQuantity: level.minQuantity } : null,
    };
  }

  /**
   * First-expiring-first-out, so the expiry sweep does not warn about goods already gone.
   * Runs after the stock row's update, whose row lock serialises it with other decreases.
   */
  private async consumeLots(tx: Tx, workspaceId: string, productId: string, quantity: number) {
    const lots = await tx.stockLot.findMany({
      where: { workspaceId, productId, quantity: { gt: 0 } },
      orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
    });
    let left = quantity;
    for (const lot of lots) {
      if (left === 0) break;
      const used = Math.min(toSafeInteger(lot.quantity), left);
      await tx.stockLot.update({ where: { id: lot.id }, data: { quantity: { decrement: used } } });
      left -= used;
    }
  }

  private async level(tx: Tx, workspaceId: string, productId: string): Promise<StockLevel> {
    const row = await tx.stock.findUnique({ where: { workspaceId_productId: { workspaceId, productId } } });
    return toStockLevel(workspaceId, productId, row);
  }
}
