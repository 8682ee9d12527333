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
  'TILL_OFFLINE',
  /** Most of a store's tills dropped at once: its line is down. */
  'STORE_OFFLINE',
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

/** An alert's life; notifications of level INFO have none. */
export const AlertState = z.enum(['open', 'acknowledged', 'resolved']);
export const AlertResolution = z.enum(['auto', 'manual']);

export const AlertUpdatedPayload = z
  .object({
    companyId: Id,
    id: Id.describe('The notification'),
    scope: NotificationScope,
    state: AlertState,
    count: z.number().int().describe('How often its condition was seen'),
    version: z.number().int().describe('Grows with every change; send it back as expectedVersion'),
    acknowledgedBy: Id.optional(),
    resolvedAt: Timestamp.optional(),
    escalated: z.boolean(),
  })
  .meta({ id: 'AlertUpdatedPayload' });

export type AlertState = z.infer<typeof AlertState>;
export type AlertResolution = z.infer<typeof AlertResolution>;
export type AlertUpdatedPayload = z.infer<typeof AlertUpdatedPayload>;
export type NotificationScope = z.infer<typeof NotificationScope>;
export type NotificationLevel = z.infer<typeof NotificationLevel>;
export type NotificationKind = z.infer<typeof NotificationKind>;
export type SystemNotificationPayload = z.infer<typeof SystemNotificationPayload>;
