import { z } from 'zod';
import { Id } from '@retail/common';
import { PaymentMethod, SaleLinePayload } from '@retail/realtime-protocol';

const Money = z.number().int().describe('Integer minor units (e.g. cents)');

export const CreateCartSchema = z
  .object({ deviceId: Id.optional().describe("Default: the token's device. Another device needs pos:manage") })
  .meta({ id: 'CreateCartRequest' });
export type CreateCartDto = z.output<typeof CreateCartSchema>;

export const SetCartItemsSchema = z
  .object({
    items: z
      .array(z.object({ productId: Id, quantity: z.number().int().min(1).max(10_000) }))
      .max(200)
      .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, 'Each product at most once'),
  })
  .meta({ id: 'SetCartItemsRequest' });
export type SetCartItemsDto = z.output<typeof SetCartItemsSchema>;

export const AddPaymentSchema = z
  .object({
    method: PaymentMethod,
    amount: z.number().int().min(1).max(100_000_000).describe('Integer minor units; cash may exceed what is due'),
  })
  .meta({ id: 'AddPaymentRequest' });
export type AddPaymentDto = z.output<typeof AddPaymentSchema>;

export const CartSchema = z
  .object({
    id: Id,
    workspaceId: Id,
    deviceId: Id,
    cashierId: Id,
    status: z.enum(['OPEN', 'PAID', 'COMPLETED', 'CANCELLED']),
    items: z.array(SaleLinePayload),
    payments: z.array(
      z.object({
        id: Id,
        method: PaymentMethod,
        amount: Money,
        createdAt: z.iso.datetime(),
        refundedAt: z.iso.datetime().nullable().describe('Set when the cart was cancelled: the payment was given back'),
      }),
    ),
    total: Money,
    paid: Money,
    remaining: Money.describe('Still due; 0 when covered'),
    change: Money.describe('Cash to give back at checkout'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Cart' });
export type CartView = z.output<typeof CartSchema>;
