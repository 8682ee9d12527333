import { z } from 'zod';
import { Id, Money, Timestamp } from './common.js';

export const PaymentMethod = z.enum(['CASH', 'CARD', 'OTHER']);

const PosScope = { companyId: Id, workspaceId: Id, deviceId: Id };

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
    payment: z.object({ id: Id, method: PaymentMethod, amount: Money, createdAt: Timestamp }),
    total: Money,
    paid: Money,
    remaining: Money.describe('What is still due; 0 when covered'),
  })
  .meta({ id: 'CartPaymentPayload' });

export const SaleCompletedPayload = z
  .object({
    ...PosScope,
    saleId: Id,
    cartId: Id,
    cashierId: Id.describe('Who opened the cart'),
    checkedOutById: Id.describe('Who checked it out: the cashier on its device, or someone with pos:manage'),
    lines: z.array(SaleLinePayload),
    payments: z.array(z.object({ method: PaymentMethod, amount: Money })),
    total: Money,
    paid: Money,
    change: Money,
    businessDate: z.iso.date().describe("The store's local day, in its time zone"),
    completedAt: Timestamp,
  })
  .meta({ id: 'SaleCompletedPayload' });

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
export type PaymentMethod = z.infer<typeof PaymentMethod>;
