import type { Notification } from '@retail/database';
import type { NotificationView } from '../dto/notifications.dto.js';
import { scopeOf } from '../services/notification-rows.js';

export const toNotificationView = (row: Notification, read: boolean): NotificationView => ({
  id: row.id,
  companyId: row.companyId,
  scope: scopeOf(row),
  level: row.level,
  kind: row.kind,
  title: row.title,
  message: row.message,
  data: row.data as Record<string, unknown>,
  createdAt: row.createdAt.toISOString(),
  read,
});
