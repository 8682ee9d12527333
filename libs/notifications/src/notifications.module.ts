import { Module } from '@nestjs/common';
import { NotificationsController } from './controllers/notifications.controller.js';
import { AlertSweepService } from './services/alert-sweep.service.js';
import { NotificationsService } from './services/notifications.service.js';

/** Persisted alerts and their REST API. Other modules inject NotificationsService. */
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, AlertSweepService],
  exports: [NotificationsService, AlertSweepService],
})
export class NotificationsModule {}
