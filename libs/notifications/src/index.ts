export { AlertSweepsModule } from './alert-sweeps.module.js';
export { NotificationsModule } from './notifications.module.js';
export { NotificationsService, type PublishNotificationInput } from './services/notifications.service.js';
export { AlertSweepService } from './services/alert-sweep.service.js';
export { NotificationSchema, type NotificationView } from './dto/notifications.dto.js';
export { AlertSweepScheduler } from './services/alert-sweep.scheduler.js';
export { TillOfflineAlerts } from './services/till-offline-alerts.service.js';
export { storeOfflineKey, tillOfflineAlerts, tillOfflineKey } from './rules/till-offline.rule.js';
