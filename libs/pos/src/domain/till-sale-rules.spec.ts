import { describe, expect, it } from 'vitest';
import type { TillSaleDto } from '../dto/sale.dto.js';
import { assessTillSale, saleContentHash, type CatalogProduct } from './till-sale-rules.js';

const WATER = 'a0000000-0000-4000-8000-000000000001';
const BREAD = 'a0000000-0000-4000-8000-000000000002';
const DEVICE = 'd0000000-0000-4000-8000-000000000003';
const NOW = new Date('2026-12-07T12:00:00Z');
const HOUR = 3_600_000;

const products = new Map<string, CatalogProduct>([
  [WATER, { id: WATER, sku: 'WATER', name: 'Water', price: 99n, active: true }],
  [BREAD, { id: BREAD, sku: 'BREAD', name: 'Bread', price: 249n, active: false }],
]);
const context = { now: NOW, maxAgeDays: 30, products };
const sale = (over: Partial<TillSaleDto> = {}): TillSaleDto => ({
  id: 'e0000000-0000-4000-8000-000000000004',
  occurredAt: NOW.toISOString(),
  lines: [{ productId: WATER, quantity: 2, unitPrice: 99 }],
  payments: [{ method: 'CASH', amount: 500 }],
  ...over,
});
const refusal = (over: Partial<TillSaleDto>) => {
  try {
    assessTillSale(sale(over), context);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'accepted';
};

describe('assessTillSale', () => {
  it('prices a sale as charged, with its change from cash and the sku and name of the catalog', () => {
    const assessed = assessTillSale(sale(), context);
    expect(assessed.money).toEqual({ total: 198, paid: 500, change: 302, byMethod: { CASH: 198, CARD: 0, OTHER: 0 } });
    expect(assessed.lines).toEqual([
      { productId: WATER, quantity: 2, unitPrice: 99n, lineTotal: 198n, position: 0, sku: 'WATER', name: 'Water' },
    ]);
    expect(assessed.warnings).toEqual([]);
  });

  it('keeps a price other than the catalog, a product no longer sold, and a clock ahead, and says so', () => {
    const assessed = assessTillSale(
      sale({
        occurredAt: new Date(NOW.getTime() + 6 * 60_000).toISOString(),
        lines: [
          { productId: WATER, quantity: 1, unitPrice: 80 },
          { productId: BREAD, quantity: 1, unitPrice: 249 },
        ],
        payments: [{ method: 'CARD', amount: 329 }],
      }),
      context,
    );
    expect(assessed.money.total).toBe(329);
    expect(assessed.warnings).toEqual(['price_mismatch', 'clock_skew', 'product_inactive']);
    expect(assessTillSale(sale({ occurredAt: new Date(NOW.getTime() + 4 * 60_000).toISOString() }), context).warnings).toEqual([]);
  });

  it('refuses what cannot be stored: too far ahead, too old, unknown products, unpaid or overpaid by card', () => {
    expect(refusal({ occurredAt: new Date(NOW.getTime() + 25 * HOUR).toISOString() })).toBe('occurred_in_future');
    expect(refusal({ occurredAt: new Date(NOW.getTime() + 23 * HOUR).toISOString() })).toBe('accepted');
    expect(refusal({ occurredAt: new Date(NOW.getTime() - 31 * 24 * HOUR).toISOString() })).toBe('sale_too_old');
    expect(refusal({ occurredAt: new Date(NOW.getTime() - 29 * 24 * HOUR).toISOString() })).toBe('accepted');
    expect(refusal({ lines: [{ productId: 'f0000000-0000-4000-8000-000000000009', quantity: 1, unitPrice: 1 }] })).toBe('unknown_product');
    expect(refusal({ payments: [{ method: 'CASH', amount: 100 }] })).toBe('payment_insufficient');
    expect(refusal({ payments: [{ method: 'CARD', amount: 199 }] })).toBe('overpayment');
    const atTheCap = { productId: WATER, quantity: 10_000, unitPrice: 100_000_000 }; // 10^12
    expect(refusal({ lines: [atTheCap, { productId: BREAD, quantity: 1, unitPrice: 1 }] })).toBe('sale_total_too_large');
  });
});

describe('saleContentHash', () => {
  it('is the same for the same sale however its lines, payments and time are written, and differs for anything else', () => {
    const one = sale({
      lines: [
        { productId: WATER, quantity: 1, unitPrice: 99 },
        { productId: BREAD, quantity: 1, unitPrice: 249 },
      ],
      payments: [
        { method: 'CARD', amount: 100 },
        { method: 'CASH', amount: 248 },
      ],
    });
    const reordered = { ...one, lines: [...one.lines].reverse(), payments: [...one.payments].reverse() };
    const otherOffset = { ...one, occurredAt: '2026-12-07T13:00:00+01:00' };
    expect(saleContentHash(DEVICE, reordered)).toBe(saleContentHash(DEVICE, one));
    expect(saleContentHash(DEVICE, otherOffset)).toBe(saleContentHash(DEVICE, one));
    expect(saleContentHash(DEVICE, { ...one, sequence: 7 })).not.toBe(saleContentHash(DEVICE, one));
    expect(saleContentHash(DEVICE, { ...one, lines: [one.lines[0]] })).not.toBe(saleContentHash(DEVICE, one));
    expect(saleContentHash('d0000000-0000-4000-8000-00000000000f', one)).not.toBe(saleContentHash(DEVICE, one));
  });
});
