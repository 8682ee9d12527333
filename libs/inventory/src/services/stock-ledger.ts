import { Injectable } from '@nestjs/common';
import { type InventoryMovement, type MovementType, Prisma, type TransferStatus, type Tx } from '@retail/database';
import { AppError, toSafeInteger } from '@retail/common';
import { RealtimeService } from '@retail/realtime';
import { thresholdChanges } from '../domain/stock-thresholds.js';
import { stockDeltaOnCreate, transferRestock } from '../domain/movement-rules.js';
import { type StockLevel, toMovementView, toStockLevel } from '../views/inventory.views.js';
import { type StockCondition, StockAlerts } from './stock-alerts.js';
import type { ProductRef } from '../domain/product-ref.js';

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
  /** IN or a positive ADJUSTMENT: the goods are also recorded as a lot with this expiry. */
  expiresAt?: Date;
  saleId?: string;
  /** RETURN: the return that brought the goods back (its saleId too). */
  returnId?: string;
  countId?: string;
}

interface LotDraw {
  lotId: string;
  quantity: bigint;
}

export interface CountToApply {
  companyId: string;
  workspaceId: string;
  countId: string;
  userId: string;
  reason: string;
}

/** The lines of one sale, one product each. */
export interface SaleToRecord {
  companyId: string;
  workspaceId: string;
  userId: string;
  saleId: string;
  lines: Array<{ product: ProductRef; quantity: number }>;
}

/** What writing till sales did to one store's stock (POS writes it with their sales: pos_record_till_sales). */
export interface TillSalesTaken {
  companyId: string;
  workspaceId: string;
  userId: string;
  products: ReadonlyMap<string, ProductRef>;
  /** Each product once: its stock now, and what the sales took of it. */
  stock: Array<{ productId: string; quantity: bigint; minQuantity: number; taken: bigint }>;
  /** Each line's SALE movement. */
  movements: Array<{ id: string; productId: string; saleId: string; quantity: bigint; createdAt: Date }>;
}

/** A movement as written, the stock it left in every store it touched, and what that means for stock alerts. */
export interface LedgerEntry {
  companyId: string;
  movement: InventoryMovement;
  stock: StockLevel[];
  conditions: StockCondition[];
}

/** What a change from `before` to `level` means for the store's stock alerts: raised, counted again, or cleared. */
function conditionsOf(companyId: string, product: ProductRef, before: number, level: StockLevel): StockCondition[] {
  const { workspaceId, quantity, minQuantity } = level;
  return thresholdChanges(before, quantity, minQuantity).map(({ threshold, change }) => ({
    companyId,
    workspaceId,
    product,
    threshold,
    change,
    quantity,
    minQuantity,
  }));
}

/**
 * The only writer of stock. Every change is a movement row plus a stock update in the caller's
 * transaction. Decreases are conditional updates in the database (`quantity >= n`), so stock
 * never goes below zero whatever runs concurrently on any replica; a refused decrease throws
 * insufficient_stock and the caller's whole transaction rolls back. Till sales alone are never
 * refused: what a customer has paid for and taken is gone, counted or not. POS writes their stock
 * with the sales, in one round trip, the same way (rows locked in product order); the ledger turns
 * what that did into its entries (tillSaleEntries), so their events and warnings are the same.
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
        returnId: input.returnId ?? null,
        countId: input.countId ?? null,
      },
    });
    if (input.expiresAt) {
      await tx.stockLot.create({ data: { workspaceId, productId: product.id, quantity, expiresAt: input.expiresAt } });
    }
    // Remembered so that receiving or cancelling the transfer lots the goods again, expiry and all.
    if (type === 'TRANSFER' && change.draws.length) {
      await tx.transferLot.createMany({ data: change.draws.map((draw) => ({ movementId: movement.id, ...draw })) });
    }
    const stock = [change.level];
    if (toWorkspaceId) stock.push(await this.level(tx, toWorkspaceId, product.id));
    return { companyId, movement, stock, conditions: change.conditions };
  }

  /**
   * Moves a transfer to its next status; RECEIVED stocks the destination, CANCELLED returns the
   * goods to the source, each with the lots the goods left, so expiry alerts follow them.
   */
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
    let conditions: StockCondition[] = [];
    if (restock) {
      const target = restock === 'destination' ? movement.toWorkspaceId! : movement.workspaceId;
      ({ conditions } = await this.changeStock(tx, companyId, target, transfer.product, toSafeInteger(movement.quantity)));
      await this.relot(tx, movement.id, target);
    }
    const stock = [
      await this.level(tx, movement.workspaceId, movement.productId),
      await this.level(tx, movement.toWorkspaceId!, movement.productId),
    ];
    return { companyId, movement, stock, conditions };
  }

  /**
   * The SALE movements of one checkout in two statements, whatever its number of lines: the stock
   * rows are locked in product order and decremented only where enough is left, each line becomes
   * its movement, then the lots are consumed first-expiring-first. A line short of stock throws
   * insufficient_stock, and the caller's transaction rolls back.
   */
  async recordSale(tx: Tx, sale: SaleToRecord): Promise<LedgerEntry[]> {
    const { companyId, workspaceId, userId, saleId } = sale;
    const lines = [...sale.lines].sort((a, b) => (a.product.id < b.product.id ? -1 : 1));
    const productIds = lines.map((l) => l.product.id);
    const quantities = lines.map((l) => l.quantity);
    const rows = await tx.$queryRaw<Array<InventoryMovement & { stockQuantity: bigint; minQuantity: number }>>`
      WITH wanted AS (
        SELECT * FROM unnest(${productIds}::uuid[], ${quantities}::bigint[]) AS w("productId", quantity)
      ), locked AS MATERIALIZED (
        SELECT s."productId", wanted.quantity AS take
        FROM "Stock" s JOIN wanted ON wanted."productId" = s."productId"
        WHERE s."workspaceId" = ${workspaceId}::uuid AND s.quantity >= wanted.quantity
        ORDER BY s."productId"
        FOR UPDATE OF s
      ), updated AS (
        UPDATE "Stock" s SET quantity = s.quantity - locked.take, "updatedAt" = now()
        FROM locked
        WHERE s."workspaceId" = ${workspaceId}::uuid AND s."productId" = locked."productId"
        RETURNING s."productId", s.quantity, s."minQuantity", locked.take
      ), moved AS (
        INSERT INTO "InventoryMovement" (id, type, "productId", "workspaceId", quantity, "userId", "saleId", "createdAt", "updatedAt")
        SELECT gen_random_uuid(), 'SALE', "productId", ${workspaceId}::uuid, take, ${userId}::uuid, ${saleId}::uuid, now(), now()
        FROM updated
        RETURNING *
      )
      SELECT moved.*, updated.quantity AS "stockQuantity", updated."minQuantity"
      FROM moved JOIN updated USING ("productId")
      ORDER BY moved."productId"`;
    if (rows.length < lines.length) await this.refuseShortLine(tx, workspaceId, lines, rows);
    await this.consumeLots(
      tx,
      workspaceId,
      lines.map((l) => ({ productId: l.product.id, quantity: BigInt(l.quantity) })),
    );
    return rows.map(({ stockQuantity, minQuantity, ...movement }, i) => {
      const { product, quantity } = lines[i];
      const level = toStockLevel(workspaceId, product.id, { quantity: stockQuantity, minQuantity });
      return { companyId, movement, stock: [level], conditions: conditionsOf(companyId, product, level.quantity + quantity, level) };
    });
  }

  /** Till sales' stock changes as ledger entries, one per movement; a product's conditions are said once, with its first. */
  tillSaleEntries({ companyId, workspaceId, userId, products, stock, movements }: TillSalesTaken): LedgerEntry[] {
    const levels = new Map(stock.map((row) => [row.productId, row]));
    const said = new Set<string>();
    return movements.map((m) => {
      const product = products.get(m.productId)!;
      const row = levels.get(m.productId)!;
      const level = toStockLevel(workspaceId, m.productId, row);
      const first = !said.has(m.productId);
      said.add(m.productId);
      const movement: InventoryMovement = {
        id: m.id,
        type: 'SALE',
        status: null,
        productId: m.productId,
        workspaceId,
        toWorkspaceId: null,
        quantity: m.quantity,
        reason: null,
        userId,
        countId: null,
        saleId: m.saleId,
        returnId: null,
        createdAt: m.createdAt,
        updatedAt: m.createdAt,
      };
      const conditions = first ? conditionsOf(companyId, product, level.quantity + toSafeInteger(row.taken), level) : [];
      return { companyId, movement, stock: [level], conditions };
    });
  }

  /** The first line of a sale that found too little stock, as the insufficient_stock refusal. */
  private async refuseShortLine(
    tx: Tx,
    workspaceId: string,
    lines: SaleToRecord['lines'],
    moved: Array<{ productId: string }>,
  ): Promise<never> {
    const short = lines.find((l) => !moved.some((m) => m.productId === l.product.id))!;
    const current = await tx.stock.findUnique({ where: { workspaceId_productId: { workspaceId, productId: short.product.id } } });
    throw AppError.conflict('insufficient_stock', `Not enough ${short.product.name} (${short.product.sku}) in stock`, {
      workspaceId,
      productId: short.product.id,
      sku: short.product.sku,
      requested: short.quantity,
      available: toStockLevel(workspaceId, short.product.id, current).quantity,
    });
  }

  /**
   * Applies a closed count in a fixed number of statements, whatever its size. Each counted line
   * moves stock by counted − the stock when it was counted, so what was sold or received since
   * stays on top of the count; never below zero (counted stock cannot have been sold twice). One
   * ADJUSTMENT per line that changes stock. Stock rows are locked in product order, as everywhere.
   */
  async applyCount(tx: Tx, { companyId, workspaceId, countId, userId, reason }: CountToApply): Promise<LedgerEntry[]> {
    const differs = Prisma.sql`l."countId" = ${countId}::uuid AND l."countedQuantity" IS NOT NULL AND l."countedQuantity" <> l."expectedQuantity"`;
    // Absent stock rows first, so the update below finds (and locks) a row for every line.
    await tx.$executeRaw`
      INSERT INTO "Stock" ("workspaceId", "productId", "updatedAt")
      SELECT ${workspaceId}::uuid, l."productId", now() FROM "InventoryCountLine" l WHERE ${differs}
      ORDER BY l."productId"
      ON CONFLICT DO NOTHING`;
    const changed = await tx.$queryRaw<Array<{ productId: string; delta: bigint; quantity: bigint; minQuantity: number }>>`
      WITH locked AS MATERIALIZED (
        SELECT s."productId", s.quantity, GREATEST(l."countedQuantity" - l."expectedQuantity", -s.quantity) AS delta
        FROM "InventoryCountLine" l
        JOIN "Stock" s ON s."workspaceId" = ${workspaceId}::uuid AND s."productId" = l."productId"
        WHERE ${differs}
        ORDER BY s."productId"
        FOR UPDATE OF s
      ), updated AS (
        UPDATE "Stock" s SET quantity = locked.quantity + locked.delta, "updatedAt" = now()
        FROM locked
        WHERE s."workspaceId" = ${workspaceId}::uuid AND s."productId" = locked."productId" AND locked.delta <> 0
        RETURNING s."productId", locked.delta, s.quantity, s."minQuantity"
      ), moved AS (
        INSERT INTO "InventoryMovement" (id, type, "productId", "workspaceId", quantity, reason, "userId", "countId", "createdAt", "updatedAt")
        SELECT gen_random_uuid(), 'ADJUSTMENT', "productId", ${workspaceId}::uuid, delta, ${reason}, ${userId}::uuid, ${countId}::uuid, now(), now()
        FROM updated
      )
      SELECT * FROM updated`;
    await this.consumeLots(
      tx,
      workspaceId,
      changed.filter((c) => c.delta < 0n).map((c) => ({ productId: c.productId, quantity: -c.delta })),
    );
    const movements = await tx.inventoryMovement.findMany({
      where: { countId },
      include: { product: { select: { id: true, sku: true, name: true } } },
      orderBy: { productId: 'asc' },
    });
    const byProduct = new Map(changed.map((c) => [c.productId, c]));
    return movements.map(({ product, ...movement }) => {
      const { delta, ...row } = byProduct.get(product.id)!;
      const level = toStockLevel(workspaceId, product.id, row);
      return {
        companyId,
        movement,
        stock: [level],
        conditions: conditionsOf(companyId, product, level.quantity - toSafeInteger(delta), level),
      };
    });
  }

  /** Queues the movements' events and their stock alerts (one statement to raise, one to resolve); they leave only after `tx` commits. */
  async announce(tx: Tx, entries: LedgerEntry[], event: 'created' | 'updated'): Promise<void> {
    for (const entry of entries) {
      const payload = { companyId: entry.companyId, movement: toMovementView(entry.movement), stock: entry.stock };
      this.realtime.emit(event === 'created' ? 'inventoryMovementCreated' : 'inventoryMovementUpdated', payload, { tx });
    }
    const conditions = entries.flatMap((entry) => entry.conditions);
    if (conditions.length) await this.alerts.changed(tx, conditions);
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
      const level = toStockLevel(workspaceId, productId, row);
      return { level, conditions: conditionsOf(companyId, product, level.quantity - delta, level), draws: [] };
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
    const draws = await this.consumeLots(tx, workspaceId, [{ productId, quantity: BigInt(take) }]);
    const level = toStockLevel(workspaceId, productId, row);
    return { level, conditions: conditionsOf(companyId, product, level.quantity + take, level), draws };
  }

  /**
   * The lots a transfer took, as new lots of `workspaceId` with the same expiry: the goods arrived
   * there or came back. New rows, not refilled old ones, so the expiry sweep sees them as new goods.
   */
  private async relot(tx: Tx, transferId: string, workspaceId: string) {
    const draws = await tx.transferLot.findMany({ where: { movementId: transferId }, include: { lot: true } });
    if (!draws.length) return;
    await tx.stockLot.createMany({
      data: draws.map(({ lot, quantity }) => ({ workspaceId, productId: lot.productId, quantity, expiresAt: lot.expiresAt })),
    });
  }

  /**
   * First-expiring-first-out, so the expiry sweep does not warn about goods already gone: one
   * statement for any number of products. Each lot gives what is still wanted after the lots that
   * expire before it. Runs after the stock rows' updates, whose row locks serialise it with other
   * decreases of the same products. Answers what it took from which lot.
   */
  private async consumeLots(tx: Tx, workspaceId: string, takes: Array<{ productId: string; quantity: bigint }>): Promise<LotDraw[]> {
    if (!takes.length) return [];
    return tx.$queryRaw<LotDraw[]>`
      WITH wanted AS (
        SELECT * FROM unnest(${takes.map((t) => t.productId)}::uuid[], ${takes.map((t) => t.quantity)}::bigint[]) AS w("productId", quantity)
      ), ranked AS (
        SELECT l.id, l.quantity, wanted.quantity AS wanted,
          (SUM(l.quantity) OVER (PARTITION BY l."productId" ORDER BY l."expiresAt", l.id) - l.quantity)::bigint AS before
        FROM "StockLot" l JOIN wanted ON wanted."productId" = l."productId"
        WHERE l."workspaceId" = ${workspaceId}::uuid AND l.quantity > 0
      )
      UPDATE "StockLot" l SET quantity = l.quantity - LEAST(ranked.quantity, ranked.wanted - ranked.before)
      FROM ranked
      WHERE l.id = ranked.id AND ranked.before < ranked.wanted
      RETURNING l.id AS "lotId", LEAST(ranked.quantity, ranked.wanted - ranked.before) AS quantity`;
  }

  private async level(tx: Tx, workspaceId: string, productId: string): Promise<StockLevel> {
    const row = await tx.stock.findUnique({ where: { workspaceId_productId: { workspaceId, productId } } });
    return toStockLevel(workspaceId, productId, row);
  }
}
