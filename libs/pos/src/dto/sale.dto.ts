import { z } from 'zod';
import { PageQuery, pageOf, Id } from '@retail/common';
import {
  DailyTotalsPayload,
  Money,
  SaleReturn,
  SaleReturnRequest,
  StoredSale,
  TILL_SALE_LIMITS,
  TillSale,
} from '@retail/realtime-protocol';

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

// What tills send and receive is the protocol package's (TillSale, StoredSale, …): the client
// library's sale queue builds with the same schemas.
export const SaleSchema = StoredSale;
export type SaleView = z.output<typeof StoredSale>;
export type TillSaleDto = z.output<typeof TillSale>;
export type SaleReturnDto = z.output<typeof SaleReturnRequest>;
export type SaleReturnView = z.output<typeof SaleReturn>;

/** The body of POST /pos/sales/sync as it is parsed: each sale apart, so one malformed sale never blocks the rest. */
export const LooseTillSaleSyncSchema = z.object({ sales: z.array(z.unknown()).min(1).max(TILL_SALE_LIMITS.salesPerSync) });

export const CatalogQuerySchema = z.object({
  workspaceId: Id.optional().describe("The store the till sells in (default: the token's device's); prices are chain-wide"),
  since: z
    .string()
    .regex(/^\d{1,18}$/, 'a version this endpoint answered')
    .transform((v) => BigInt(v))
    .optional()
    .describe('The version the till holds: only what changed after it'),
});
export type CatalogQueryDto = z.output<typeof CatalogQuerySchema>;
export const SalePageSchema = pageOf(SaleSchema, 'SalePage');

/** GET /pos/daily-totals: the event's sales figures, plus the day's refunds (cancelled carts' payments and returns given back). */
export const DailyTotalsSchema = DailyTotalsPayload.extend({
  refunds: z.object({
    count: z.number().int().describe('Refunds given: one per payment of a cancelled cart, one per refund of a return'),
    amount: Money,
    byMethod: z.object({ CASH: Money, CARD: Money, OTHER: Money }),
  }),
}).meta({ id: 'DailyTotals' });
export type DailyTotalsView = z.output<typeof DailyTotalsSchema>;
