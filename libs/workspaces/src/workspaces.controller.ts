import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { DevicesService } from './devices.service.js';
import {
  CreateDeviceSchema,
  CreateWorkspaceSchema,
  DeviceWithKeySchema,
  DeviceWithPresenceSchema,
  StorePresenceSchema,
  UpdateWorkspaceSchema,
  WorkspaceDetailSchema,
  WorkspaceSchema,
  WorkspacesQuerySchema,
  type CreateDeviceDto,
  type CreateWorkspaceDto,
  type UpdateWorkspaceDto,
  type WorkspacesQueryDto,
} from './workspace.dto.js';
import { StorePresenceService } from './store-presence.service.js';
import { WorkspacesService } from './workspaces.service.js';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces')
@RequirePermissions('workspaces:read')
export class WorkspacesController {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly devicesOf: DevicesService,
    private readonly presence: StorePresenceService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Stores the caller may see; archived ones only with ?archived=true' })
  @ApiResponse({ status: 200, standardSchema: z.array(WorkspaceSchema) })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: Principal, @Query({ schema: WorkspacesQuerySchema }) query: WorkspacesQueryDto) {
    return this.workspaces.list(user, query.archived === 'true');
  }

  @Post()
  @RequirePermissions('workspaces:manage')
  @ApiOperation({
    summary: 'Open a store: its name (unique in the company, else 409 name_taken), IANA time zone, opening hours and offline alert delay',
  })
  @ApiResponse({ status: 201, standardSchema: WorkspaceSchema })
  @ApiErrors(400, 401, 403, 409)
  create(@CurrentUser() admin: Principal, @Body({ schema: CreateWorkspaceSchema }) body: CreateWorkspaceDto) {
    return this.workspaces.create(admin, body);
  }

  @Get('presence')
  @ApiOperation({
    summary:
      'One row per store the caller may see (all for ADMIN): open now, its tills, how many online and offline, sales pending on them',
  })
  @ApiResponse({ status: 200, standardSchema: z.array(StorePresenceSchema) })
  @ApiErrors(401, 403)
  storesPresence(@CurrentUser() user: Principal) {
    return this.presence.summary(user);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A store, with `open`: whether it is open now by its hours, on its own wall clock' })
  @ApiResponse({ status: 200, standardSchema: WorkspaceDetailSchema })
  @ApiErrors(400, 401, 403, 404)
  detail(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.workspaces.detail(user, id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @RequirePermissions('workspaces:manage')
  @ApiOperation({
    summary:
      'Archive a store: its history stays, new carts and sales are refused (409 store_archived); 409 open_cash_sessions while a drawer is open',
  })
  @ApiResponse({ status: 200, standardSchema: WorkspaceSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  archive(@CurrentUser() admin: Principal, @Param('id', { schema: Id }) id: string) {
    return this.workspaces.archive(admin, id);
  }

  @Patch(':id')
  @RequirePermissions('workspaces:manage')
  @ApiOperation({ summary: 'Change a store: name, time zone (an IANA zone; anything else is 400), opening hours, offline alert delay' })
  @ApiResponse({ status: 200, standardSchema: WorkspaceSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: UpdateWorkspaceSchema }) body: UpdateWorkspaceDto,
  ) {
    return this.workspaces.update(user, id, body);
  }

  @Get(':id/devices')
  @ApiOperation({ summary: "A store's POS devices, each with its presence (online or offline, since when, what it last reported)" })
  @ApiResponse({ status: 200, standardSchema: z.array(DeviceWithPresenceSchema) })
  @ApiErrors(400, 401, 403, 404)
  devices(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.presence.devices(user, id);
  }

  @Post(':id/devices')
  @RequirePermissions('devices:manage')
  @ApiOperation({ summary: "Add a POS device to a store; its name is unique within the store. Answers the till's key, once" })
  @ApiResponse({ status: 201, standardSchema: DeviceWithKeySchema })
  @ApiErrors(400, 401, 403, 404, 409)
  addDevice(
    @CurrentUser() admin: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: CreateDeviceSchema }) body: CreateDeviceDto,
  ) {
    return this.devicesOf.create(admin, id, body);
  }

  @Post(':id/devices/:deviceId/key')
  @HttpCode(200)
  @RequirePermissions('devices:manage')
  @ApiOperation({
    summary: "Issue a till a new key, shown once: the old key stops working and the till's sessions end (tokens and sockets)",
  })
  @ApiResponse({ status: 200, standardSchema: DeviceWithKeySchema })
  @ApiErrors(400, 401, 403, 404)
  issueDeviceKey(
    @CurrentUser() admin: Principal,
    @Param('id', { schema: Id }) id: string,
    @Param('deviceId', { schema: Id }) deviceId: string,
  ) {
    return this.devicesOf.issueKey(admin, id, deviceId);
  }
}
