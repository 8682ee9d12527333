import type { CashSession, Prisma } from '@retail/database';
import type { CartPayload, DailyTotalsPayload, SaleCompletedPayload } from '@retail/realtime-protocol';
import type { CartView } from '../dto/cart.dto.js';
import type { SaleView } from '../dto/sale.dto.js';
import { lineTotal } from '../domain/cart-math.js';
import { fromDateColumn } from '../domain/business-date.js';

export const CART_INCLUDE = {
  items: { include: { product: { select: { sku: true, name: true } } }, orderBy: { position: 'asc' } },
  payments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.CartInclude;
export type CartWithLines = Prisma.CartGetPayload<{ include: typeof CART_INCLUDE }>;

export const SALE_INCLUDE = {
  lines: { orderBy: { position: 'asc' } },
  payments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.SaleInclude;
export type SaleWithLines = Prisma.SaleGetPayload<{ include: typeof SALE_INCLUDE }>;

export function toCartView(cart: CartWithLines): CartView {
  return {
    id: cart.id,
    workspaceId: cart.workspaceId,
    deviceId: cart.deviceId,
    cashierId: cart.cashierId,
    status: cart.status,
    items: cart.items.map((i) => ({
      productId: i.productId,
      sku: i.product.sku,
      name: i.product.name,
      quantity: i.quantity,
      unitPrice: i.unitPrice,
      lineTotal: lineTotal(i),
    })),
    payments: cart.payments.map((p) => ({ id: p.id, method: p.method, amount: p.amount, createdAt: p.createdAt.toISOString() })),
    total: cart.total,
    paid: cart.paid,
    remaining: Math.max(0, cart.total - cart.paid),
    change: Math.max(0, cart.paid - cart.total),
    createdAt: cart.createdAt.toISOString(),
    updatedAt: cart.updatedAt.toISOString(),
  };
}

export function toCartPayload(companyId: string, cart: CartView): CartPayload {
  const { workspaceId, deviceId, status, items, total, paid, updatedAt } = cart;
  return { companyId, workspaceId, deviceId, cartId: cart.id, status, items, total, paid, updatedAt };
}

export function toSaleView(sale: SaleWithLines): SaleView {
  return {
    id: sale.id,
    workspaceId: sale.workspaceId,
    deviceId: sale.deviceId,
    cartId: sale.cartId,
    cashierId: sale.cashierId,
    lines: sale.lines.map(({ productId, sku, name, quantity, unitPrice, lineTotal }) => ({
      productId,
      sku,
      name,
      quantity,
      unitPrice,
      lineTotal,
    })),
    payments: sale.payments.map(({ method, amount }) => ({ method, amount })),
    total: sale.total,
    paid: sale.paid,
    change: sale.change,
    businessDate: fromDateColumn(sale.businessDate),
    completedAt: sale.completedAt.toISOString(),
  };
}

export function toSalePayload(companyId: string, sale: SaleView): SaleCompletedPayload {
  const { id, ...rest } = sale;
  return { companyId, saleId: id, ...rest };
}

type TotalsRow = Pick<Prisma.DailyTotalsGetPayload<object>, 'salesCount' | 'grossAmount' | 'cashAmount' | 'cardAmount' | 'otherAmount'>;

/** A day without sales has no row: all zeros. */
export function toDailyTotalsPayload(
  companyId: string,
  workspaceId: string,
  businessDate: string,
  row: TotalsRow | null,
): DailyTotalsPayload {
  return {
    companyId,
    workspaceId,
    businessDate,
    salesCount: row?.salesCount ?? 0,
    grossAmount: row?.grossAmount ?? 0,
    byMethod: { CASH: row?.cashAmount ?? 0, CARD: row?.cardAmount ?? 0, OTHER: row?.otherAmount ?? 0 },
  };
}

export const toCashSessionView = (s: CashSession) => ({
  id: s.id,
  workspaceId: s.workspaceId,
  deviceId: s.deviceId,
  status: s.status,
  openingFloat: s.openingFloat,
  expectedCash: s.expectedCash,
  cashLimit: s.cashLimit,
  countedCash: s.countedCash,
  difference: s.countedCash === null ? null : s.countedCash - s.expectedCash,
  openedById: s.openedById,
  openedAt: s.openedAt.toISOString(),
  closedAt: s.closedAt?.toISOString() ?? null,
});
