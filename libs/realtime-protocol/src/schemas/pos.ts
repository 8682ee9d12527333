import { z } from 'zod';
import { Id, Money, Timestamp } from './common.js';

export const PaymentMethod = z.enum(['CASH', 'CARD', 'OTHER']);

const PosScope = { companyId: Id, workspaceId: Id, deviceId: Id };

/** Money paid, or given back, by one method. */
export const Tendered = z.object({ method: PaymentMethod, amount: Money });
/** Goods of a sale brought back. */
export const ReturnedLine = z.object({ productId: Id, quantity: z.number().int().positive() });

export const SaleLinePayload = z.object({
  productId: Id,
  sku: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPrice: Money,
  lineTotal: Money,
});

export const CartPayload = z
  .object({
    ...PosScope,
    cartId: Id,
    status: z.enum(['OPEN', 'PAID', 'COMPLETED', 'CANCELLED']),
    items: z.array(SaleLinePayload),
    total: Money,
    paid: Money,
    updatedAt: Timestamp,
  })
  .meta({ id: 'CartPayload' });

export const CartPaymentPayload = z
  .object({
    ...PosScope,
    cartId: Id,
    status: z.enum(['OPEN', 'PAID']).describe('The cart after this payment: PAID once covered'),
    payment: z.object({ id: Id, method: PaymentMethod, amount: Money, createdAt: Timestamp }),
    total: Money,
    paid: Money,
    remaining: Money.describe('What is still due; 0 when covered'),
  })
  .meta({ id: 'CartPaymentPayload' });

/** Where a sale was made: a server-side cart checked out, or a till's own document (`POST /pos/sales`). */
export const SaleSource = z.enum(['cart', 'till']);

export const SaleCompletedPayload = z
  .object({
    ...PosScope,
    saleId: Id,
    source: SaleSource,
    cartId: Id.optional().describe('Sales checked out from a cart only'),
    cashierId: Id.describe('Who opened the cart, or who was logged in on the till'),
    checkedOutById: Id.describe('Who checked it out: the cashier on its device, or someone with pos:manage'),
    lines: z.array(SaleLinePayload),
    payments: z.array(Tendered),
    total: Money,
    paid: Money,
    change: Money,
    businessDate: z.iso.date().describe("The store's local day of occurredAt, in its time zone"),
    occurredAt: Timestamp.describe("When the customer paid: the till's clock for a till sale, checkout time for a cart"),
    completedAt: Timestamp.describe('When the server recorded the sale'),
  })
  .meta({ id: 'SaleCompletedPayload' });

export const SaleReturnedPayload = z
  .object({
    companyId: Id,
    workspaceId: Id,
    deviceId: Id.nullable().describe('The till the return was made on, if any'),
    saleId: Id,
    returnId: Id,
    lines: z.array(ReturnedLine),
    refunds: z.array(Tendered),
    reason: z.string(),
    businessDate: z.iso.date().describe("The store's local day of the return, whose totals count its refunds"),
    returnedAt: Timestamp,
  })
  .meta({ id: 'SaleReturnedPayload' });

export const CatalogChangedPayload = z
  .object({
    companyId: Id,
    version: z.string().describe('The catalog version now: GET /pos/catalog?since=<the version a till holds> brings it up to date'),
  })
  .meta({ id: 'CatalogChangedPayload' });

export const DailyTotalsPayload = z
  .object({
    companyId: Id,
    workspaceId: Id,
    businessDate: z.iso.date(),
    salesCount: z.number().int(),
    grossAmount: Money,
    byMethod: z.object({ CASH: Money, CARD: Money, OTHER: Money }),
  })
  .meta({ id: 'DailyTotalsPayload' });

export type CartPayload = z.infer<typeof CartPayload>;
export type CartPaymentPayload = z.infer<typeof CartPaymentPayload>;
export type SaleCompletedPayload = z.infer<typeof SaleCompletedPayload>;
export type DailyTotalsPayload = z.infer<typeof DailyTotalsPayload>;
export type SaleReturnedPayload = z.infer<typeof SaleReturnedPayload>;
export type CatalogChangedPayload = z.infer<typeof CatalogChangedPayload>;
export type SaleSource = z.infer<typeof SaleSource>;
export type PaymentMethod = z.infer<typeof PaymentMethod>;
