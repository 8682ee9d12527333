import { createHash } from 'node:crypto';
import { AppError } from '@retail/common';
import type { SaleWarning } from '@retail/realtime-protocol';
import type { TillSaleDto } from '../dto/sale.dto.js';
import { cartTotal, lineTotal, MAX_CART_AMOUNT, settle, type Settlement } from './cart-math.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Ahead of the server by more than this, the till's clock is said to be off (a warning). */
export const CLOCK_SKEW_WARNING_MS = 5 * MINUTE_MS;
/** Ahead by more than this, the sale cannot have happened yet: refused. */
export const MAX_FUTURE_MS = DAY_MS;

/** What a till sale's lines are checked against: the catalog as it is now. */
export interface CatalogProduct {
  id: string;
  sku: string;
  name: string;
  price: bigint;
  active: boolean;
}

export interface TillSaleContext {
  /** The server's clock. */
  now: Date;
  maxAgeDays: number;
  /** The company's products named by the batch, removed ones included; absent means unknown. */
  products: ReadonlyMap<string, CatalogProduct>;
}

/**
 * A till sale checked and priced: what is stored, but for what only the write can tell (its day
 * in the store's time zone, its drawer and the drawer's warnings).
 */
export interface AssessedSale {
  occurredAt: Date;
  money: Settlement;
  lines: Array<{ productId: string; position: number; sku: string; name: string; quantity: number; unitPrice: bigint; lineTotal: bigint }>;
  warnings: SaleWarning[];
}

/** What a till-made document (a sale, a return) is compared by when its id comes again: sha256 of its canonical form. */
export const contentHash = (canonical: unknown) => createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');

/**
 * The same content always gives the same hash, whatever the order of its lines and payments or
 * the offset its time was written in; another device's sale with the same id is other content.
 */
export const saleContentHash = (deviceId: string, sale: TillSaleDto) =>
  contentHash({
    deviceId,
    occurredAt: new Date(sale.occurredAt).toISOString(),
    lines: sale.lines.map((l) => [l.productId, l.quantity, l.unitPrice]).sort(),
    payments: sale.payments.map((p) => [p.method, p.amount]).sort(),
    cashSessionId: sale.cashSessionId ?? null,
    sequence: sale.sequence ?? null,
  });

/**
 * Checks a till sale that is not stored yet, or throws its refusal (422): it must have happened
 * (not over a day ahead), recently enough, in products of the catalog, and be paid in full. What
 * the till did differently from the server is kept as charged and said in warnings.
 */
export function assessTillSale(sale: TillSaleDto, context: TillSaleContext): AssessedSale {
  const occurredAt = new Date(sale.occurredAt);
  const ahead = occurredAt.getTime() - context.now.getTime();
  if (ahead > MAX_FUTURE_MS) {
    throw AppError.unprocessable('occurred_in_future', 'occurredAt is more than 24 hours ahead of the server', {
      occurredAt: occurredAt.toISOString(),
      serverTime: context.now.toISOString(),
    });
  }
  if (-ahead > context.maxAgeDays * DAY_MS) {
    throw AppError.unprocessable('sale_too_old', `Sales older than ${context.maxAgeDays} days are not accepted`, {
      occurredAt: occurredAt.toISOString(),
      maxAgeDays: context.maxAgeDays,
    });
  }
  const unknown = sale.lines.filter((l) => !context.products.has(l.productId)).map((l) => l.productId);
  if (unknown.length)
    throw AppError.unprocessable('unknown_product', 'The sale names products the catalog never had', { productIds: unknown });

  const lines = sale.lines.map((line, position) => {
    const product = context.products.get(line.productId)!;
    return {
      ...line,
      position,
      sku: product.sku,
      name: product.name,
      unitPrice: BigInt(line.unitPrice),
      lineTotal: BigInt(lineTotal(line)),
    };
  });
  const total = cartTotal(sale.lines);
  if (total > MAX_CART_AMOUNT) {
    throw AppError.unprocessable('sale_total_too_large', `A sale may total at most ${MAX_CART_AMOUNT}`, { total, max: MAX_CART_AMOUNT });
  }
  const money = settle(total, sale.payments);

  const products = sale.lines.map((l) => context.products.get(l.productId)!);
  const warnings: SaleWarning[] = [];
  if (sale.lines.some((l, i) => BigInt(l.unitPrice) !== products[i].price)) warnings.push('price_mismatch');
  if (ahead > CLOCK_SKEW_WARNING_MS) warnings.push('clock_skew');
  if (products.some((p) => !p.active)) warnings.push('product_inactive');
  return { occurredAt, money, lines, warnings };
}
