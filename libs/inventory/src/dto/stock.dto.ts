import { z } from 'zod';
import { Id, PageQuery, pageOf } from '@retail/common';

export const StockQuerySchema = PageQuery.extend({
  workspaceId: Id.optional().describe('Default: every store the caller may see'),
  productId: Id.optional(),
});
export type StockQueryDto = z.output<typeof StockQuerySchema>;

export const SetMinQuantitySchema = z
  .object({ workspaceId: Id, productId: Id, minQuantity: z.number().int().min(0).max(1_000_000) })
  .meta({ id: 'SetMinQuantityRequest' });
export type SetMinQuantityDto = z.output<typeof SetMinQuantitySchema>;

export const StockRowSchema = z
  .object({
    workspaceId: Id,
    productId: Id,
    sku: z.string(),
    name: z.string(),
    quantity: z.number().int(),
    minQuantity: z.number().int().describe('Low-stock threshold'),
    low: z.boolean().describe('quantity < minQuantity'),
  })
  .meta({ id: 'StockRow' });
export const StockPageSchema = pageOf(StockRowSchema, 'StockPage');
