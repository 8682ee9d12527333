import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const NotificationLevel = z.enum(['ALERT', 'WARNING', 'INFO']);
export const NotificationKind = z.enum([
  'LOW_STOCK',
  'NEGATIVE_STOCK',
  'EXPIRED_PRODUCT',
  'EXPIRING_SOON',
  'CASH_LIMIT',
  'LATE_SALE',
  'SYSTEM_TASK',
  'CUSTOM',
  /** A till offline while its store is open. */
  'till_offline',
  /** Most of a store's tills dropped at once: its line is down. */
  'store_offline',
]);
export const NotificationScope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('company') }),
  z.object({ type: z.literal('workspace'), workspaceId: Id }),
  z.object({ type: z.literal('user'), userId: Id }),
]);

export const SystemNotificationPayload = z
  .object({
    companyId: Id,
    notificationId: Id.nullable().describe('The persisted notification, when there is one'),
    scope: NotificationScope,
    kind: NotificationKind,
    title: z.string(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
    createdAt: Timestamp,
  })
  .meta({ id: 'SystemNotificationPayload' });

export type NotificationScope = z.infer<typeof NotificationScope>;
export type NotificationLevel = z.infer<typeof NotificationLevel>;
export type NotificationKind = z.infer<typeof NotificationKind>;
export type SystemNotificationPayload = z.infer<typeof SystemNotificationPayload>;
