import { Module } from '@nestjs/common';
import { WorkspacesModule } from '@retail/workspaces';
import { NotificationsController } from './controllers/notifications.controller.js';
import { AlertLifecycle } from './alerts/alert-lifecycle.service.js';
import { AlertSweepService } from './services/alert-sweep.service.js';
import { NotificationsService } from './services/notifications.service.js';

/** Persisted alerts and their REST API. Other modules inject NotificationsService. */
@Module({
  imports: [WorkspacesModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, AlertSweepService, AlertLifecycle],
  exports: [NotificationsService, AlertSweepService, AlertLifecycle],
})
export class NotificationsModule {}
