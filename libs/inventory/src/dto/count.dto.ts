import { z } from 'zod';
import { Id, PageQuery, pageOf } from '@retail/common';
import { CountPayload } from '@retail/realtime-protocol';

export const CreateCountSchema = z
  .object({
    workspaceId: Id,
    productIds: z
      .array(Id)
      .min(1)
      .max(1000)
      .optional()
      .describe('Default: every product of the company; the answer is a summary either way, the lines are paged'),
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

export const CountLinesQuerySchema = PageQuery;
export type CountLinesQueryDto = z.output<typeof CountLinesQuerySchema>;

/** A count without its lines: they are paged (GET …/lines), so a count of any size answers small. */
export const CountSchema = CountPayload.shape.count.extend({ workspaceId: Id }).meta({ id: 'InventoryCount' });
export const CountLineSchema = CountPayload.shape.lines.element
  .extend({ sku: z.string(), name: z.string() })
  .meta({ id: 'InventoryCountLine' });
export const CountLinePageSchema = pageOf(CountLineSchema, 'InventoryCountLinePage');
export const CountChangeSchema = z
  .object({ count: CountSchema, lines: z.array(CountLineSchema).describe('The lines this request counted or added') })
  .meta({ id: 'InventoryCountChange' });
