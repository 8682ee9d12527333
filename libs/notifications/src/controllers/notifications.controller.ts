import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { Idempotent } from '@retail/idempotency';
import {
  AlertSweepResultSchema,
  BroadcastNotificationSchema,
  ListNotificationsQuerySchema,
  NotificationPageSchema,
  NotificationSchema,
  type BroadcastNotificationDto,
  type ListNotificationsQueryDto,
} from '../dto/notifications.dto.js';
import { AlertSweepService } from '../services/alert-sweep.service.js';
import { NotificationsService } from '../services/notifications.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly sweep: AlertSweepService,
  ) {}

  @Get()
  @RequirePermissions('notifications:read')
  @ApiOperation({ summary: 'Notifications the caller may see (company, their stores, themselves), newest first' })
  @ApiResponse({ status: 200, standardSchema: NotificationPageSchema })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: Principal, @Query({ schema: ListNotificationsQuerySchema }) query: ListNotificationsQueryDto) {
    return this.notifications.list(user, query);
  }

  @Post()
  @Idempotent()
  @RequirePermissions('notifications:broadcast')
  @ApiOperation({ summary: "An admin's broadcast (the spec's systemAlert), sent live as system.alert / warning / info" })
  @ApiResponse({ status: 201, standardSchema: NotificationSchema })
  @ApiErrors(400, 401, 403, 404)
  broadcast(@CurrentUser() user: Principal, @Body({ schema: BroadcastNotificationSchema }) body: BroadcastNotificationDto) {
    return this.notifications.broadcast(user, body);
  }

  @Post(':id/read')
  @HttpCode(200)
  @RequirePermissions('notifications:read')
  @ApiOperation({ summary: 'Mark a notification read for the caller (idempotent)' })
  @ApiResponse({ status: 200, standardSchema: NotificationSchema })
  @ApiErrors(400, 401, 403, 404)
  markRead(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.notifications.markRead(user, id);
  }

  @Post('sweeps/run')
  @HttpCode(200)
  @RequirePermissions('notifications:broadcast')
  @ApiOperation({
    summary:
      "Run the alert sweep (expired / expiring lots, overdue counts) for the caller's company now; alerts already raised are not repeated",
  })
  @ApiResponse({ status: 200, standardSchema: AlertSweepResultSchema })
  @ApiErrors(401, 403)
  runSweep(@CurrentUser() user: Principal) {
    return this.sweep.sweepOnce({ companyId: user.companyId });
  }
}
