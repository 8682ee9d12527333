import { Module } from '@nestjs/common';
import { NotificationsController } from './controllers/notifications.controller.js';
import { AlertSweepScheduler } from './services/alert-sweep.scheduler.js';
import { AlertSweepService } from './services/alert-sweep.service.js';
import { NotificationsService } from './services/notifications.service.js';

/** Persisted alerts, their REST API and the scheduled alert sweep. Other modules inject NotificationsService. */
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, AlertSweepService, AlertSweepScheduler],
  exports: [NotificationsService, AlertSweepService],
})
export class NotificationsModule {}
