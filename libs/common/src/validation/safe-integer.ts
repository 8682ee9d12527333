import { AppError } from '../errors/app-error.js';

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A BIGINT column (money, quantities) as a JSON number. JSON numbers are exact only up to
 * 2^53 − 1, so a value beyond it is refused with 422 amount_out_of_range instead of being
 * rounded; thrown inside a transaction, it rolls the whole change back.
 */
export function toSafeInteger(value: bigint): number {
  if (value > MAX || value < -MAX) {
    throw AppError.unprocessable('amount_out_of_range', `${value} is beyond the exact range of JSON numbers (2^53 − 1)`);
  }
  return Number(value);
}
