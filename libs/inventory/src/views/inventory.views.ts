import type { InventoryCountLine, InventoryMovement, Product, Stock } from '@retail/database';
import { toSafeInteger } from '@retail/common';
import type { MovementPayload } from '@retail/realtime-protocol';

export type MovementView = MovementPayload['movement'];
export type StockLevel = MovementPayload['stock'][number];

/** The wire shape of a movement: a transfer names its two stores, anything else its one store. */
export function toMovementView(m: InventoryMovement): MovementView {
  const transfer = m.type === 'TRANSFER';
  return {
    id: m.id,
    type: m.type,
    status: m.status,
    productId: m.productId,
    quantity: toSafeInteger(m.quantity),
    workspaceId: transfer ? null : m.workspaceId,
    fromWorkspaceId: transfer ? m.workspaceId : null,
    toWorkspaceId: m.toWorkspaceId,
    reason: m.reason,
    userId: m.userId,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

/** A missing stock row means nothing was ever moved there: quantity 0, no threshold. */
export function toStockLevel(workspaceId: string, productId: string, row: Pick<Stock, 'quantity' | 'minQuantity'> | null): StockLevel {
  return { workspaceId, productId, quantity: row ? toSafeInteger(row.quantity) : 0, minQuantity: row?.minQuantity ?? 0 };
}

export const toProductView = (p: Product) => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  price: toSafeInteger(p.price),
  unit: p.unit,
  active: p.active,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export const COUNT_LINE_INCLUDE = { product: { select: { sku: true, name: true } } } as const;

export const toCountLineView = (line: InventoryCountLine & { product: { sku: string; name: string } }) => ({
  productId: line.productId,
  sku: line.product.sku,
  name: line.product.name,
  expectedQuantity: toSafeInteger(line.expectedQuantity),
  countedQuantity: line.countedQuantity,
});
