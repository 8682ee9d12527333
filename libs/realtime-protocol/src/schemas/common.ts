import { z } from 'zod';

/** Money is always integer minor units (cents); never a float. */
export const Money = z.number().int().describe('Integer minor units (e.g. cents)');
export const Id = z.uuid();
export const Timestamp = z.iso.datetime().describe('ISO 8601');
