import { z } from 'zod';
import { Id, Money, Timestamp } from './common.js';
import { PaymentMethod, ReturnedLine, SaleLinePayload, SaleSource, Tendered } from './pos.js';

// What a till sends and receives when it sells on its own (REST, not sockets): shared by the
// server, which validates with it, and the client library's sale queue, which builds with it.

/** How much one till sale, and one upload, may hold. */
export const TILL_SALE_LIMITS = { lines: 200, payments: 20, salesPerSync: 500, returnLines: 200, refunds: 20 } as const;

/**
 * What a stored sale says about itself besides its figures. A sale is stored with its warnings,
 * never refused for them: the customer has paid.
 */
export const SaleWarning = z.enum([
  /** A line's unitPrice is not the catalog's: kept as charged. */
  'price_mismatch',
  /** occurredAt is more than 5 minutes ahead of the server's clock. */
  'clock_skew',
  /** Cash was taken with no drawer to put it in: none named, none open on the device. */
  'no_cash_session',
  /** Its drawer had been closed when the sale arrived: counted apart, the drawer's count untouched. */
  'late_sale',
  /** A line's product had been deactivated or removed from the catalog. */
  'product_inactive',
]);

const uniqueProducts = (lines: Array<{ productId: string }>) => new Set(lines.map((l) => l.productId)).size === lines.length;
const Quantity = z.number().int().min(1).max(10_000);
const Tender = z.object({ method: PaymentMethod, amount: z.number().int().min(1).max(1_000_000_000_000) });

export const TillSaleLine = z.object({
  productId: Id,
  quantity: Quantity,
  unitPrice: z.number().int().min(0).max(100_000_000).describe('What the till charged, integer minor units'),
});

/** One sale as the till made it: `POST /pos/sales`, or one item of `POST /pos/sales/sync`. */
export const TillSale = z
  .object({
    id: Id.describe('Made by the till (UUIDv7 recommended, any version accepted): the same id is the same sale, however often it is sent'),
    occurredAt: z.iso
      .datetime({ offset: true })
      .describe("The till's clock when the customer paid; the store's local day of it is the sale's"),
    lines: z.array(TillSaleLine).min(1).max(TILL_SALE_LIMITS.lines).refine(uniqueProducts, 'Each product at most once'),
    payments: z.array(Tender).min(1).max(TILL_SALE_LIMITS.payments).describe('Cash over the total is change'),
    cashSessionId: Id.optional().describe("The drawer open on the till; default: the device's open drawer"),
    sequence: z.number().int().min(1).max(2_147_483_647).optional().describe("The till's own receipt counter, unique per device"),
  })
  .meta({ id: 'TillSale' });

export const TillSaleSync = z
  .object({ sales: z.array(TillSale).min(1).max(TILL_SALE_LIMITS.salesPerSync) })
  .meta({ id: 'TillSaleSyncRequest' });

/** A sale as `GET /pos/sales` shows it. */
export const StoredSale = z
  .object({
    id: Id,
    workspaceId: Id,
    deviceId: Id,
    source: SaleSource,
    cartId: Id.nullable().describe('Sales checked out from a cart only'),
    cashierId: Id.describe('Who opened the cart, or who was logged in on the till'),
    checkedOutById: Id.describe('Who checked it out or uploaded it'),
    sequence: z.number().int().nullable().describe("The till's receipt number, when it sent one"),
    cashSessionId: Id.nullable().describe('The drawer its cash went to'),
    lines: z.array(SaleLinePayload.extend({ returnedQuantity: z.number().int().describe('Already returned of this line') })),
    payments: z.array(Tendered),
    total: Money,
    paid: Money,
    change: Money,
    businessDate: z.iso.date().describe("The store's local day of occurredAt"),
    occurredAt: Timestamp.describe("When the customer paid (the till's clock for a till sale)"),
    completedAt: Timestamp.describe('When the server recorded it'),
    warnings: z.array(SaleWarning),
  })
  .meta({ id: 'Sale' });

export const SaleSyncStatus = z.enum(['accepted', 'duplicate', 'conflict', 'rejected']);

/** One sale's outcome in an upload, in the request's order. */
export const SaleSyncResult = z
  .object({
    id: z.string().nullable().describe('The sale id as sent (null when it had none)'),
    status: SaleSyncStatus.describe(
      'accepted: stored now; duplicate: stored before with the same content; conflict: that id with other content; rejected: see error',
    ),
    sale: StoredSale.optional().describe('The stored sale, when accepted or duplicate'),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'SaleSyncResult' });

export const SaleSyncResponse = z.object({ results: z.array(SaleSyncResult) }).meta({ id: 'TillSaleSyncResponse' });

/** `POST /pos/sales/:id/returns`. */
export const SaleReturnRequest = z
  .object({
    id: Id.describe('Made by the till: the same id is the same return, however often it is sent'),
    lines: z
      .array(z.object({ productId: Id, quantity: Quantity }))
      .min(1)
      .max(TILL_SALE_LIMITS.returnLines)
      .refine(uniqueProducts, 'Each product at most once'),
    refunds: z.array(Tender).max(TILL_SALE_LIMITS.refunds).describe('What is given back, by method; at most the returned lines are worth'),
    reason: z.string().trim().min(1).max(500),
  })
  .meta({ id: 'SaleReturnRequest' });

export const SaleReturn = z
  .object({
    id: Id,
    saleId: Id,
    workspaceId: Id,
    deviceId: Id.nullable().describe('The till it was made on, if any'),
    userId: Id,
    lines: z.array(ReturnedLine),
    refunds: z.array(Tendered),
    refundAmount: Money,
    reason: z.string(),
    businessDate: z.iso.date(),
    createdAt: Timestamp,
  })
  .meta({ id: 'SaleReturn' });

/** `GET /pos/catalog`: what a till sells from, whole or since a version it holds. */
export const Catalog = z
  .object({
    version: z.string().describe('Opaque, only grows: send it back as since= for what changed after it'),
    products: z.array(z.object({ id: Id, sku: z.string(), name: z.string(), price: Money, active: z.boolean() })),
    removed: z.array(Id).describe('Products removed from the catalog since that version'),
  })
  .meta({ id: 'Catalog' });

/** `GET /pos/devices/:id/sync-state`: where a till's receipt counter stands on the server. */
export const DeviceSyncState = z
  .object({
    lastSequence: z.number().int().nullable().describe('The highest receipt number stored'),
    missingSequences: z
      .array(z.number().int())
      .describe('Receipt numbers between the lowest and highest stored that never arrived (at most the first 1,000)'),
    lastSaleAt: Timestamp.nullable().describe('When its latest sale happened (occurredAt)'),
  })
  .meta({ id: 'DeviceSyncState' });

export type SaleWarning = z.infer<typeof SaleWarning>;
export type TillSale = z.input<typeof TillSale>;
export type TillSaleLine = z.infer<typeof TillSaleLine>;
export type StoredSale = z.infer<typeof StoredSale>;
export type SaleSyncStatus = z.infer<typeof SaleSyncStatus>;
export type SaleSyncResult = z.infer<typeof SaleSyncResult>;
export type SaleReturnRequest = z.input<typeof SaleReturnRequest>;
export type SaleReturn = z.infer<typeof SaleReturn>;
export type Catalog = z.infer<typeof Catalog>;
export type DeviceSyncState = z.infer<typeof DeviceSyncState>;
