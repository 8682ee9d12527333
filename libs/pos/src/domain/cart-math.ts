import type { CartStatus, PaymentMethod } from '@retail/database';
import { AppError } from '@retail/common';

export interface PricedItem {
  quantity: number;
  unitPrice: number;
}
export interface Tender {
  method: PaymentMethod;
  amount: number;
}
export type AmountsByMethod = Record<PaymentMethod, number>;

/**
 * The most a cart may total, and the most its payments may add up to, in minor units. Far below
 * 2^53 (where JSON numbers stop being exact), so a store-day holds thousands of maximal sales.
 */
export const MAX_CART_AMOUNT = 1_000_000_000_000;

/** All integer minor units: sums of integers stay exact. */
export const lineTotal = (item: PricedItem) => item.quantity * item.unitPrice;
export const cartTotal = (items: PricedItem[]) => items.reduce((sum, item) => sum + lineTotal(item), 0);
const sumOf = (payments: Tender[]) => payments.reduce((sum, p) => sum + p.amount, 0);

export function amountsByMethod(payments: Tender[]): AmountsByMethod {
  const of = (method: PaymentMethod) => sumOf(payments.filter((p) => p.method === method));
  return { CASH: of('CASH'), CARD: of('CARD'), OTHER: of('OTHER') };
}

/** Change is given from cash only, so card and other payments above the total could never be settled. */
function assertChangeFromCash(total: number, payments: Tender[]): void {
  const tendered = amountsByMethod(payments);
  if (tendered.CARD + tendered.OTHER > total) {
    throw AppError.unprocessable('overpayment', 'Card and other payments exceed the total; change is only given from cash', {
      total,
      paid: sumOf(payments),
    });
  }
}

/**
 * New items for a cart that may already hold payments: refused when the total passes the cap, or
 * falls below its card and other payments (422 overpayment), so the cart always stays payable.
 */
export function assertItemsAccepted(total: number, payments: Tender[]): void {
  if (total > MAX_CART_AMOUNT) {
    throw AppError.unprocessable('cart_total_too_large', `A cart may total at most ${MAX_CART_AMOUNT}`, { total, max: MAX_CART_AMOUNT });
  }
  assertChangeFromCash(total, payments);
}

/** PAID once payments cover a non-empty total; changing the items can take a cart back to OPEN. */
export const cartStatus = (total: number, paid: number): Extract<CartStatus, 'OPEN' | 'PAID'> =>
  total > 0 && paid >= total ? 'PAID' : 'OPEN';

/** Refuses a payment the cart cannot take. Only cash may exceed what is due: the difference is change. */
export function assertPaymentAccepted(total: number, paid: number, payment: Tender): void {
  if (total === 0) throw AppError.unprocessable('cart_empty', 'Add items before taking payments');
  const remaining = total - paid;
  if (remaining <= 0) throw AppError.conflict('cart_paid', 'The cart is already paid');
  if (payment.method !== 'CASH' && payment.amount > remaining) {
    throw AppError.unprocessable('overpayment', `Only cash can exceed the ${remaining} still due`, { remaining });
  }
  if (paid + payment.amount > MAX_CART_AMOUNT) {
    throw AppError.unprocessable('payments_too_large', `A cart's payments may add up to at most ${MAX_CART_AMOUNT}`, {
      paid,
      max: MAX_CART_AMOUNT,
    });
  }
}

/** What the store keeps per method: cash net of the change given, so the three add up to the total. */
export function keptByMethod(payments: Tender[], change: number): AmountsByMethod {
  const tendered = amountsByMethod(payments);
  return { ...tendered, CASH: tendered.CASH - change };
}

export interface Settlement {
  total: number;
  paid: number;
  change: number;
  /** What the store keeps per method: cash net of change, so the three add up to the total. */
  byMethod: AmountsByMethod;
}

/** The money side of checkout, or the refusal: payment_insufficient, or overpayment not covered by cash. */
export function settle(total: number, payments: Tender[]): Settlement {
  const paid = sumOf(payments);
  if (paid < total) {
    throw AppError.unprocessable('payment_insufficient', `Payments cover ${paid} of ${total}`, { total, paid, remaining: total - paid });
  }
  assertChangeFromCash(total, payments);
  const change = paid - total;
  return { total, paid, change, byMethod: keptByMethod(payments, change) };
}

/** An alert fires when the drawer's expected cash goes over its limit, not on every later sale. */
export const passedCashLimit = (before: number, after: number, limit: number) => before <= limit && after > limit;
