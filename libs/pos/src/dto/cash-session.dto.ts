import { z } from 'zod';
import { Id } from '@retail/common';

const Amount = z.number().int().min(0).max(100_000_000);

export const OpenCashSessionSchema = z
  .object({
    deviceId: Id.optional().describe("Default: the token's device. Another device needs pos:manage"),
    openingFloat: Amount.describe('Cash in the drawer at opening, integer minor units'),
    cashLimit: Amount.describe('An alert fires when the expected cash goes over it'),
  })
  .meta({ id: 'OpenCashSessionRequest' });
export type OpenCashSessionDto = z.output<typeof OpenCashSessionSchema>;

export const CloseCashSessionSchema = z
  .object({ countedCash: Amount.optional().describe('Cash counted in the drawer') })
  .meta({ id: 'CloseCashSessionRequest' });
export type CloseCashSessionDto = z.output<typeof CloseCashSessionSchema>;

export const CashSessionSchema = z
  .object({
    id: Id,
    workspaceId: Id,
    deviceId: Id,
    status: z.enum(['OPEN', 'CLOSED']),
    openingFloat: z.number().int(),
    expectedCash: z.number().int().describe('Opening float plus cash taken net of change'),
    cashLimit: z.number().int(),
    countedCash: z.number().int().nullable(),
    difference: z.number().int().nullable().describe('countedCash − expectedCash'),
    lateSalesCount: z.number().int().describe('Till sales that named this drawer after it had closed: counted apart, never in its count'),
    lateCashAmount: z.number().int().describe('Their cash, net of change'),
    openedById: Id,
    openedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'CashSession' });
