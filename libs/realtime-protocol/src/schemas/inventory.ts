import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const MovementType = z.enum(['IN', 'OUT', 'ADJUSTMENT', 'TRANSFER', 'SALE', 'RETURN']);
export const TransferStatus = z.enum(['PENDING', 'IN_TRANSIT', 'RECEIVED', 'CANCELLED']);

export const StockLevel = z.object({
  workspaceId: Id,
  productId: Id,
  quantity: z.number().int(),
  minQuantity: z.number().int(),
});

export const MovementPayload = z
  .object({
    companyId: Id,
    movement: z.object({
      id: Id,
      type: MovementType,
      status: TransferStatus.nullable().describe('Transfers only'),
      productId: Id,
      quantity: z.number().int().describe('Signed for ADJUSTMENT; positive otherwise'),
      workspaceId: Id.nullable().describe('The store of a non-transfer movement'),
      fromWorkspaceId: Id.nullable(),
      toWorkspaceId: Id.nullable(),
      reason: z.string().nullable(),
      userId: Id.nullable(),
      createdAt: Timestamp,
      updatedAt: Timestamp,
    }),
    stock: z.array(StockLevel).describe('Resulting stock in every store the movement touched'),
  })
  .meta({ id: 'MovementPayload' });

export const CountPayload = z
  .object({
    companyId: Id,
    workspaceId: Id,
    count: z.object({
      id: Id,
      status: z.enum(['OPEN', 'CLOSED']),
      summary: z.object({
        lines: z.number().int(),
        counted: z.number().int().describe('Lines with a counted quantity'),
        adjusted: z.number().int().describe('ADJUSTMENT movements its close posted'),
      }),
      createdAt: Timestamp,
      closedAt: Timestamp.nullable(),
    }),
    lines: z
      .array(
        z.object({
          productId: Id,
          expectedQuantity: z.number().int().describe('Stock when the line was last counted (until then, when it was added)'),
          countedQuantity: z.number().int().nullable(),
        }),
      )
      .describe('Only the lines this change added or counted; none when the count opens or closes'),
  })
  .meta({ id: 'CountPayload' });

export type MovementPayload = z.infer<typeof MovementPayload>;
export type CountPayload = z.infer<typeof CountPayload>;
export type MovementType = z.infer<typeof MovementType>;
export type TransferStatus = z.infer<typeof TransferStatus>;
