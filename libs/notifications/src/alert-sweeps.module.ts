import { Module } from '@nestjs/common';
import { NotificationsModule } from './notifications.module.js';
import { AlertSweepScheduler } from './services/alert-sweep.scheduler.js';
import { TillOfflineAlerts } from './services/till-offline-alerts.service.js';

/**
 * The scheduled sweep (once per cluster on Redis, in process on a single node). Only the app
 * imports it: modules that merely publish notifications must not start a scheduler.
 */
@Module({ imports: [NotificationsModule], providers: [AlertSweepScheduler, TillOfflineAlerts] })
export class AlertSweepsModule {}
