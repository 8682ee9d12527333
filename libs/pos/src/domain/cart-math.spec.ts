import { describe, expect, it } from 'vitest';
import {
  assertItemsAccepted,
  assertPaymentAccepted,
  cartStatus,
  cartTotal,
  MAX_CART_AMOUNT,
  passedCashLimit,
  settle,
} from './cart-math.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
};

describe('cart math', () => {
  it('totals integer minor units exactly', () => {
    expect(
      cartTotal([
        { quantity: 3, unitPrice: 10 },
        { quantity: 1, unitPrice: 20 },
      ]),
    ).toBe(50);
    // 0.1 + 0.2 style amounts never drift: 3 × 0.10 = 0.30
    expect(cartTotal([{ quantity: 3, unitPrice: 10 }])).toBe(30);
    expect(cartTotal([])).toBe(0);
  });

  it('is PAID only when a non-empty total is covered', () => {
    expect(cartStatus(0, 0)).toBe('OPEN');
    expect(cartStatus(100, 99)).toBe('OPEN');
    expect(cartStatus(100, 100)).toBe('PAID');
    expect(cartStatus(100, 150)).toBe('PAID');
  });

  it('accepts cash over what is due, but no other method', () => {
    expect(code(() => assertPaymentAccepted(100, 0, { method: 'CASH', amount: 500 }))).toBe('none');
    expect(code(() => assertPaymentAccepted(100, 40, { method: 'CARD', amount: 60 }))).toBe('none');
    expect(code(() => assertPaymentAccepted(100, 40, { method: 'CARD', amount: 61 }))).toBe('overpayment');
    expect(code(() => assertPaymentAccepted(100, 100, { method: 'CASH', amount: 1 }))).toBe('cart_paid');
    expect(code(() => assertPaymentAccepted(0, 0, { method: 'CASH', amount: 1 }))).toBe('cart_empty');
  });

  it('caps a cart total and the sum of its payments at 10^12 minor units', () => {
    expect(MAX_CART_AMOUNT).toBe(1_000_000_000_000);
    expect(code(() => assertItemsAccepted(MAX_CART_AMOUNT, []))).toBe('none');
    expect(code(() => assertItemsAccepted(MAX_CART_AMOUNT + 1, []))).toBe('cart_total_too_large');
    expect(code(() => assertPaymentAccepted(MAX_CART_AMOUNT, MAX_CART_AMOUNT - 1, { method: 'CASH', amount: 1 }))).toBe('none');
    expect(code(() => assertPaymentAccepted(MAX_CART_AMOUNT, MAX_CART_AMOUNT - 1, { method: 'CASH', amount: 2 }))).toBe(
      'payments_too_large',
    );
  });

  it('settles with change from cash, keeping cash net of change', () => {
    expect(
      settle(1250, [
        { method: 'CARD', amount: 250 },
        { method: 'CASH', amount: 2000 },
      ]),
    ).toEqual({
      total: 1250,
      paid: 2250,
      change: 1000,
      byMethod: { CASH: 1000, CARD: 250, OTHER: 0 },
    });
    expect(settle(100, [{ method: 'OTHER', amount: 100 }])).toEqual({
      total: 100,
      paid: 100,
      change: 0,
      byMethod: { CASH: 0, CARD: 0, OTHER: 100 },
    });
  });

  it('lets items change after payments only while the cart stays payable', () => {
    const paid = [
      { method: 'CARD' as const, amount: 60 },
      { method: 'CASH' as const, amount: 50 },
    ];
    expect(code(() => assertItemsAccepted(100, paid))).toBe('none');
    expect(code(() => assertItemsAccepted(60, paid))).toBe('none'); // the cash becomes change
    expect(code(() => assertItemsAccepted(59, paid))).toBe('overpayment'); // the card could never be given back
    expect(code(() => assertItemsAccepted(0, [{ method: 'CASH', amount: 50 }]))).toBe('none');
  });

  it('refuses payments that do not cover the total, and change not covered by cash', () => {
    expect(code(() => settle(100, [{ method: 'CASH', amount: 99 }]))).toBe('payment_insufficient');
    expect(code(() => settle(100, []))).toBe('payment_insufficient');
    // Items were removed after a card payment: the card now exceeds the total.
    expect(code(() => settle(80, [{ method: 'CARD', amount: 100 }]))).toBe('overpayment');
    expect(
      code(() =>
        settle(80, [
          { method: 'CARD', amount: 100 },
          { method: 'CASH', amount: 20 },
        ]),
      ),
    ).toBe('overpayment');
    expect(
      settle(80, [
        { method: 'CARD', amount: 50 },
        { method: 'CASH', amount: 50 },
      ]).byMethod,
    ).toEqual({ CASH: 30, CARD: 50, OTHER: 0 });
  });

  it('detects the cash limit crossing once', () => {
    expect(passedCashLimit(900, 1100, 1000)).toBe(true);
    expect(passedCashLimit(1000, 1001, 1000)).toBe(true);
    expect(passedCashLimit(900, 1000, 1000)).toBe(false); // at the limit is not over it
    expect(passedCashLimit(1100, 1300, 1000)).toBe(false); // already over
  });
});
