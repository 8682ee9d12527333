import { z } from 'zod';
import { NotificationKind, NotificationScope } from '../../../realtime/src/index.js';

/** ALERT, WARNING and INFO go out as system.alert, system.warning and system.info. */
export const NotificationLevel = z.enum(['ALERT', 'WARNING', 'INFO']);
export type NotificationLevel = z.infer<typeof NotificationLevel>;

export const NotificationSchema = z
  .object({
    id: z.uuid(),
    companyId: z.uuid(),
    scope: NotificationScope,
    level: NotificationLevel,
    kind: NotificationKind,
    title: z.string(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
    read: z.boolean().describe('Whether the caller has marked it read'),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof NotificationSchema>;

export const NotificationPageSchema = z
  .object({ items: z.array(NotificationSchema).describe('Newest first'), nextCursor: z.string().nullable() })
  .meta({ id: 'NotificationPage' });

// Unnamed (no meta id) so Swagger lists its fields as query parameters instead of a $ref.
export const ListNotificationsQuerySchema = z.object({
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListNotificationsQueryDto = z.output<typeof ListNotificationsQuerySchema>;

export const BroadcastNotificationSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    message: z.string().trim().min(1).max(2000),
    level: NotificationLevel.default('ALERT'),
    scope: NotificationScope.default({ type: 'company' }).describe('Whole company (default), one store, or one user'),
  })
  .meta({ id: 'BroadcastNotification' });
export type BroadcastNotificationDto = z.output<typeof BroadcastNotificationSchema>;

export const AlertSweepResultSchema = z
  .object({ created: z.number().int().describe('Alerts raised by this run; already-raised ones are not repeated') })
  .meta({ id: 'AlertSweepResult' });
