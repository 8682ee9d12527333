import { PageQuery, pageOf, Id } from '@retail/common';
import { z } from 'zod';
import { AlertResolution, AlertState, NotificationKind, NotificationLevel, NotificationScope } from '@retail/realtime-protocol';

const At = z.iso.datetime();

export const NotificationSchema = z
  .object({
    id: Id,
    companyId: Id,
    scope: NotificationScope,
    workspaceId: Id.nullable().describe('The store it is about (also for an alert addressed to one user, e.g. a drawer)'),
    level: NotificationLevel,
    kind: NotificationKind,
    title: z.string(),
    message: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: At,
    read: z.boolean().describe('Whether the caller has marked it read'),
    state: AlertState.nullable().describe('open → acknowledged → resolved; null for INFO (a plain message)'),
    dedupKey: z.string().nullable().describe('Its condition: the same condition while it is live bumps count, never a second alert'),
    count: z.number().int().describe('How often its condition was seen'),
    firstSeenAt: At,
    lastSeenAt: At,
    acknowledgedBy: Id.nullable(),
    acknowledgedAt: At.nullable(),
    resolvedBy: Id.nullable().describe('Null when resolved automatically'),
    resolvedAt: At.nullable(),
    resolution: AlertResolution.nullable(),
    note: z.string().nullable().describe('The last note given with an ack or a resolve'),
    escalated: z.boolean(),
    version: z.number().int().describe('Grows with every change; send it as expectedVersion'),
    reopenCount: z.number().int().describe('Times its condition came back within 10 minutes of being resolved automatically'),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof NotificationSchema>;

export const NotificationPageSchema = pageOf(NotificationSchema, 'NotificationPage');

export const ListNotificationsQuerySchema = PageQuery.extend({
  state: AlertState.optional(),
  workspaceId: Id.optional().describe('Only what is about this store'),
  kind: NotificationKind.optional(),
});
export type ListNotificationsQueryDto = z.output<typeof ListNotificationsQuerySchema>;

export const AlertCommandSchema = z
  .object({
    expectedVersion: z.number().int().min(1).optional().describe('The version the caller saw: another gives 409 version_conflict'),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .default({}) // the body is optional
  .meta({ id: 'AlertCommand' });
export type AlertCommandDto = z.output<typeof AlertCommandSchema>;

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
