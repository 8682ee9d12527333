import { z } from 'zod';
import { PageQuery, pageOf, Id } from '@retail/common';
import { DailyTotalsPayload, Money, PaymentMethod, SaleLinePayload } from '@retail/realtime-protocol';

const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const SalesQuerySchema = PageQuery.extend({
  workspaceId: Id.optional().describe('Default: every store the caller may see'),
  from: Instant.optional().describe('Completed at or after (ISO 8601)'),
  to: Instant.optional().describe('Completed before (ISO 8601)'),
});
export type SalesQueryDto = z.output<typeof SalesQuerySchema>;

export const DailyTotalsQuerySchema = z.object({
  workspaceId: Id,
  date: z.iso.date().optional().describe("YYYY-MM-DD; default: today in the store's time zone"),
});
export type DailyTotalsQueryDto = z.output<typeof DailyTotalsQuerySchema>;

export const SaleSchema = z
  .object({
    id: Id,
    workspaceId: Id,
    deviceId: Id,
    cartId: Id,
    cashierId: Id.describe('Who opened the cart'),
    checkedOutById: Id.describe('Who checked it out: the cashier on its device, or someone with pos:manage'),
    lines: z.array(SaleLinePayload),
    payments: z.array(z.object({ method: PaymentMethod, amount: z.number().int() })),
    total: z.number().int(),
    paid: z.number().int(),
    change: z.number().int(),
    businessDate: z.iso.date(),
    completedAt: z.iso.datetime(),
  })
  .meta({ id: 'Sale' });
export type SaleView = z.output<typeof SaleSchema>;
export const SalePageSchema = pageOf(SaleSchema, 'SalePage');

/** GET /pos/daily-totals: the event's sales figures, plus the day's refunds (payments of cancelled carts given back). */
export const DailyTotalsSchema = DailyTotalsPayload.extend({
  refunds: z.object({
    count: z.number().int().describe('Payments refunded'),
    amount: Money,
    byMethod: z.object({ CASH: Money, CARD: Money, OTHER: Money }),
  }),
}).meta({ id: 'DailyTotals' });
export type DailyTotalsView = z.output<typeof DailyTotalsSchema>;
