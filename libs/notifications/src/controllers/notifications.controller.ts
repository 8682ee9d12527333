import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { Idempotent } from '@retail/idempotency';
import { AlertLifecycle } from '../alerts/alert-lifecycle.service.js';
import {
  AlertCommandSchema,
  AlertSweepResultSchema,
  BroadcastNotificationSchema,
  ListNotificationsQuerySchema,
  NotificationPageSchema,
  NotificationSchema,
  type AlertCommandDto,
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
    private readonly lifecycle: AlertLifecycle,
  ) {}

  @Get()
  @RequirePermissions('notifications:read')
  @ApiOperation({
    summary:
      'Notifications the caller may see (company, their stores, themselves): open alerts first (ALERT, then WARNING, oldest first), then the rest newest first; filter by state, workspaceId, kind',
  })
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

  @Post(':id/ack')
  @HttpCode(200)
  @RequirePermissions('notifications:manage')
  @ApiOperation({
    summary:
      'Acknowledge an open alert (someone is on it): stops its escalation. In a store the caller manages; 409 version_conflict on a stale expectedVersion, 409 already_resolved once resolved',
  })
  @ApiResponse({ status: 200, standardSchema: NotificationSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  acknowledge(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: AlertCommandSchema }) body: AlertCommandDto,
  ) {
    return this.lifecycle.acknowledge(user, id, body);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequirePermissions('notifications:manage')
  @ApiOperation({
    summary:
      'Resolve an open or acknowledged alert by hand. In a store the caller manages; 409 version_conflict on a stale expectedVersion. Resolving it again changes nothing',
  })
  @ApiResponse({ status: 200, standardSchema: NotificationSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  resolve(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: AlertCommandSchema }) body: AlertCommandDto,
  ) {
    return this.lifecycle.resolve(user, id, body);
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
