import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import { AppError } from '@retail/common';

// Printable ASCII, as in the IETF Idempotency-Key draft; a UUID is the usual choice.
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The header's value, or undefined without one; a malformed key is a 400. */
export function idempotencyKeyOf(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw AppError.validation([{ path: 'Idempotency-Key', message: 'Must be 1 to 255 printable ASCII characters, e.g. a UUID' }]);
  }
  return key;
}

/**
 * What must match for a retry to be "the same request": method, path (with its ids and query)
 * and body, the body canonical (sorted keys) so key order does not matter.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(stringify([method.toUpperCase(), path, body ?? null]) ?? '')
    .digest('hex');
}
