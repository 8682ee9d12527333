import { z } from 'zod';
import { PageQuery, pageOf, Id } from '@retail/common';
import { MovementPayload, StockLevel, TransferStatus } from '@retail/realtime-protocol';

const Quantity = z.number().int().min(1).max(1_000_000);
const Reason = z.string().trim().min(1).max(500);
const ExpiresAt = z.iso.datetime({ offset: true }).describe('Records the goods as a lot with this expiry');

/** SALE and RETURN movements are written by sales and returns only. */
export const CreateMovementSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('IN'),
      workspaceId: Id,
      productId: Id,
      quantity: Quantity,
      reason: Reason.optional(),
      expiresAt: ExpiresAt.optional(),
    }),
    z.object({ type: z.literal('OUT'), workspaceId: Id, productId: Id, quantity: Quantity, reason: Reason.optional() }),
    z
      .object({
        type: z.literal('ADJUSTMENT'),
        workspaceId: Id,
        productId: Id,
        quantity: z
          .number()
          .int()
          .min(-1_000_000)
          .max(1_000_000)
          .refine((q) => q !== 0, 'must not be 0')
          .describe('Signed'),
        reason: Reason.describe('Required for adjustments'),
        expiresAt: ExpiresAt.optional().describe('Positive adjustments only: records the goods found as a lot with this expiry'),
      })
      .refine((a) => !a.expiresAt || a.quantity > 0, { path: ['expiresAt'], message: 'only a positive adjustment adds a lot' }),
    z
      .object({
        type: z.literal('TRANSFER'),
        fromWorkspaceId: Id,
        toWorkspaceId: Id,
        productId: Id,
        quantity: Quantity,
        reason: Reason.optional(),
      })
      .refine((t) => t.fromWorkspaceId !== t.toWorkspaceId, { path: ['toWorkspaceId'], message: 'must differ from fromWorkspaceId' }),
  ])
  .meta({ id: 'CreateMovementRequest' });
export type CreateMovementDto = z.output<typeof CreateMovementSchema>;

export const UpdateTransferSchema = z.object({ status: TransferStatus.exclude(['PENDING']) }).meta({ id: 'UpdateTransferRequest' });
export type UpdateTransferDto = z.output<typeof UpdateTransferSchema>;

export const MovementQuerySchema = PageQuery.extend({
  workspaceId: Id.optional().describe('Default: every store the caller may see; transfers match either end'),
  productId: Id.optional(),
  countId: Id.optional().describe("A closed count's ADJUSTMENT movements"),
});
export type MovementQueryDto = z.output<typeof MovementQuerySchema>;

export const MovementSchema = MovementPayload.shape.movement.meta({ id: 'Movement' });
export const MovementResultSchema = z.object({ movement: MovementSchema, stock: z.array(StockLevel) }).meta({ id: 'MovementResult' });
export const MovementPageSchema = pageOf(MovementSchema, 'MovementPage');
