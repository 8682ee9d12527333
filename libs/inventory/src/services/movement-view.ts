import type { InventoryMovement, Stock } from '../../../../prisma/generated/client.js';
import type { MovementPayload } from '../../../realtime/src/index.js';

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
    quantity: m.quantity,
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
  return { workspaceId, productId, quantity: row?.quantity ?? 0, minQuantity: row?.minQuantity ?? 0 };
}
