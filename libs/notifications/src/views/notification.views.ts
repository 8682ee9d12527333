import type { Notification } from '@retail/database';
import type { AlertUpdatedPayload } from '@retail/realtime-protocol';
import type { NotificationView } from '../dto/notifications.dto.js';
import { scopeOf } from '../services/notification-rows.js';

const iso = (at: Date | null) => at?.toISOString() ?? null;

export const toNotificationView = (row: Notification, read: boolean): NotificationView => ({
  id: row.id,
  companyId: row.companyId,
  scope: scopeOf(row),
  workspaceId: row.workspaceId,
  level: row.level,
  kind: row.kind,
  title: row.title,
  message: row.message,
  data: row.data as Record<string, unknown>,
  createdAt: row.createdAt.toISOString(),
  read,
  state: row.state,
  dedupKey: row.dedupKey,
  count: row.count,
  firstSeenAt: row.firstSeenAt.toISOString(),
  lastSeenAt: row.lastSeenAt.toISOString(),
  acknowledgedBy: row.acknowledgedById,
  acknowledgedAt: iso(row.acknowledgedAt),
  resolvedBy: row.resolvedById,
  resolvedAt: iso(row.resolvedAt),
  resolution: row.resolution,
  note: row.note,
  escalated: row.escalated,
  version: row.version,
  reopenCount: row.reopenCount,
});

/** system.alert.updated: what changed of an alert (only alerts have a state). */
export const toAlertUpdate = (row: Notification): AlertUpdatedPayload => ({
  companyId: row.companyId,
  id: row.id,
  scope: scopeOf(row),
  state: row.state!,
  count: row.count,
  version: row.version,
  ...(row.acknowledgedById ? { acknowledgedBy: row.acknowledgedById } : {}),
  ...(row.resolvedAt ? { resolvedAt: row.resolvedAt.toISOString() } : {}),
  escalated: row.escalated,
});
