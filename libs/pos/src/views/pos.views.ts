import { toSafeInteger } from '@retail/common';
import type { CashSession, DailyTotals, PaymentMethod, Prisma } from '@retail/database';
import type { CartPayload, DailyTotalsPayload, SaleCompletedPayload, SaleWarning } from '@retail/realtime-protocol';
import type { CartView } from '../dto/cart.dto.js';
import type { DailyTotalsView, SaleView } from '../dto/sale.dto.js';
import { lineTotal, type Tender } from '../domain/cart-math.js';
import { fromDateColumn } from '../domain/business-date.js';
import type { CartState } from '../services/cart-records.js';

export const SALE_INCLUDE = {
  lines: { orderBy: { position: 'asc' } },
  payments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.SaleInclude;
export type SaleWithLines = Prisma.SaleGetPayload<{ include: typeof SALE_INCLUDE }>;

/** A payment row as the cart math reads it: BIGINT money as an exact JS number. */
export const toTender = (payment: { method: PaymentMethod; amount: bigint }): Tender => ({
  method: payment.method,
  amount: toSafeInteger(payment.amount),
});

export function toCartView(cart: CartState): CartView {
  const { total, paid } = cart;
  return {
    id: cart.id,
    workspaceId: cart.workspaceId,
    deviceId: cart.deviceId,
    cashierId: cart.cashierId,
    status: cart.status,
    items: cart.items.map(({ productId, sku, name, quantity, unitPrice }) => ({
      productId,
      sku,
      name,
      quantity,
      unitPrice,
      lineTotal: lineTotal({ quantity, unitPrice }),
    })),
    payments: cart.payments.map(({ id, method, amount, createdAt, refundedAt }) => ({
      id,
      method,
      amount,
      createdAt: createdAt.toISOString(),
      refundedAt: refundedAt?.toISOString() ?? null,
    })),
    total,
    paid,
    remaining: Math.max(0, total - paid),
    change: Math.max(0, paid - total),
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
    source: sale.source,
    cartId: sale.cartId,
    cashierId: sale.cashierId,
    checkedOutById: sale.checkedOutById,
    sequence: sale.sequence,
    cashSessionId: sale.cashSessionId,
    lines: sale.lines.map(({ productId, sku, name, quantity, unitPrice, lineTotal, returnedQuantity }) => ({
      productId,
      sku,
      name,
      quantity,
      unitPrice: toSafeInteger(unitPrice),
      lineTotal: toSafeInteger(lineTotal),
      returnedQuantity,
    })),
    payments: sale.payments.map(toTender),
    total: toSafeInteger(sale.total),
    paid: toSafeInteger(sale.paid),
    change: toSafeInteger(sale.change),
    businessDate: fromDateColumn(sale.businessDate),
    occurredAt: sale.occurredAt.toISOString(),
    completedAt: sale.completedAt.toISOString(),
    // Written only from the SaleWarning enum (see assessTillSale).
    warnings: sale.warnings as SaleWarning[],
  };
}

/** What `pos.sale.completed` carries: the sale's figures, not its bookkeeping (warnings, returns, drawer). */
export function toSalePayload(companyId: string, sale: SaleView): SaleCompletedPayload {
  const { id, cartId, lines, sequence: _sequence, cashSessionId: _drawer, warnings: _warnings, ...rest } = sale;
  return {
    companyId,
    saleId: id,
    ...(cartId ? { cartId } : {}),
    ...rest,
    lines: lines.map(({ returnedQuantity: _returned, ...line }) => line),
  };
}

type MoneyColumn = { [K in keyof DailyTotals]: DailyTotals[K] extends bigint ? K : never }[keyof DailyTotals];
/** A day's sales figures, which the event carries. */
type SalesFigures = Pick<DailyTotals, 'salesCount' | 'grossAmount' | 'cashAmount' | 'cardAmount' | 'otherAmount'>;
const amountOf = <R extends Partial<Record<MoneyColumn, bigint>>>(row: R | null, column: MoneyColumn & keyof R) =>
  row ? toSafeInteger(row[column]!) : 0;

/** A day without sales has no row: all zeros. */
export function toDailyTotalsPayload(
  companyId: string,
  workspaceId: string,
  businessDate: string,
  row: SalesFigures | null,
): DailyTotalsPayload {
  const amount = (column: 'grossAmount' | 'cashAmount' | 'cardAmount' | 'otherAmount') => amountOf(row, column);
  return {
    companyId,
    workspaceId,
    businessDate,
    salesCount: row?.salesCount ?? 0,
    grossAmount: amount('grossAmount'),
    byMethod: { CASH: amount('cashAmount'), CARD: amount('cardAmount'), OTHER: amount('otherAmount') },
  };
}

/** The day's sales as the event carries them, and its refunds, which are never sales. */
export function toDailyTotalsView(companyId: string, workspaceId: string, businessDate: string, row: DailyTotals | null): DailyTotalsView {
  const amount = (column: MoneyColumn) => amountOf(row, column);
  return {
    ...toDailyTotalsPayload(companyId, workspaceId, businessDate, row),
    refunds: {
      count: row?.refundsCount ?? 0,
      amount: amount('refundAmount'),
      byMethod: { CASH: amount('cashRefunded'), CARD: amount('cardRefunded'), OTHER: amount('otherRefunded') },
    },
  };
}

export function toCashSessionView(s: CashSession) {
  const expectedCash = toSafeInteger(s.expectedCash);
  const countedCash = s.countedCash === null ? null : toSafeInteger(s.countedCash);
  return {
    id: s.id,
    workspaceId: s.workspaceId,
    deviceId: s.deviceId,
    status: s.status,
    openingFloat: toSafeInteger(s.openingFloat),
    expectedCash,
    cashLimit: toSafeInteger(s.cashLimit),
    countedCash,
    difference: countedCash === null ? null : countedCash - expectedCash,
    lateSalesCount: s.lateSalesCount,
    lateCashAmount: toSafeInteger(s.lateCashAmount),
    openedById: s.openedById,
    openedAt: s.openedAt.toISOString(),
    closedAt: s.closedAt?.toISOString() ?? null,
  };
}
