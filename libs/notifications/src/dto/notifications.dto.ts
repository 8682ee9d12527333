import { PageQuery, pageOf, Id } from '@retail/common';
import { z } from 'zod';
import { NotificationKind, NotificationLevel, NotificationScope } from '@retail/realtime-protocol';

export const NotificationSchema = z
  .object({
    id: Id,
    companyId: Id,
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

export const NotificationPageSchema = pageOf(NotificationSchema, 'NotificationPage');

export const ListNotificationsQuerySchema = PageQuery;
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
