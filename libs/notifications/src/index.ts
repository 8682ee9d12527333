export { AlertSweepsModule } from './alert-sweeps.module.js';
export { NotificationsModule } from './notifications.module.js';
export { NotificationsService, type PublishNotificationInput, type PublishedNotification } from './services/notifications.service.js';
export { ALERT_CONDITIONS, MAX_OPEN_ALERTS_PER_COMPANY, REOPEN_WITHIN_MS } from './alerts/alert-conditions.js';
export { AlertLifecycle } from './alerts/alert-lifecycle.service.js';
export { AlertSweepService } from './services/alert-sweep.service.js';
export { NotificationSchema, type NotificationView } from './dto/notifications.dto.js';
export { AlertSweepScheduler } from './services/alert-sweep.scheduler.js';
