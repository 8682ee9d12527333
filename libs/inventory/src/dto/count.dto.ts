import { z } from 'zod';
import { Id } from '@retail/common';
import { MovementSchema } from './movement.dto.js';

export const CreateCountSchema = z
  .object({
    workspaceId: Id,
    productIds: z.array(Id).min(1).max(1000).optional().describe('Default: every product of the company'),
  })
  .meta({ id: 'CreateCountRequest' });
export type CreateCountDto = z.output<typeof CreateCountSchema>;

export const PutCountLinesSchema = z
  .object({
    lines: z
      .array(z.object({ productId: Id, countedQuantity: z.number().int().min(0).max(1_000_000).nullable() }))
      .min(1)
      .max(1000)
      .refine((lines) => new Set(lines.map((l) => l.productId)).size === lines.length, 'Each product at most once'),
  })
  .meta({ id: 'PutCountLinesRequest' });
export type PutCountLinesDto = z.output<typeof PutCountLinesSchema>;

export const CountSchema = z
  .object({
    id: Id,
    workspaceId: Id,
    status: z.enum(['OPEN', 'CLOSED']),
    lines: z.array(
      z.object({
        productId: Id,
        sku: z.string(),
        name: z.string(),
        expectedQuantity: z.number().int().describe('Stock when the line was added'),
        countedQuantity: z.number().int().nullable(),
      }),
    ),
    createdAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'InventoryCount' });

export const ClosedCountSchema = z
  .object({ count: CountSchema, adjustments: z.array(MovementSchema).describe('One ADJUSTMENT per line whose count differed') })
  .meta({ id: 'ClosedInventoryCount' });
