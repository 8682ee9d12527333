import { z } from 'zod';

/** Money is always integer minor units (cents); never a float. */
export const Money = z.number().int().describe('Integer minor units (e.g. cents)');
/** A UUID as clients may write it, in any case; lower-cased, so rooms and comparisons meet one spelling. */
export const Id = z.uuid().toLowerCase();
export const Timestamp = z.iso.datetime().describe('ISO 8601');
