import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors } from '@retail/common';
import { WorkspacesService } from './workspaces.service.js';

const WorkspaceSchema = z.object({ id: z.uuid(), name: z.string(), timeZone: z.string(), companyId: z.uuid() }).meta({ id: 'Workspace' });
const DeviceSchema = z.object({ id: z.uuid(), name: z.string(), workspaceId: z.uuid() }).meta({ id: 'PosDevice' });

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces')
@RequirePermissions('workspaces:read')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @Get()
  @ApiOperation({ summary: 'Stores the caller may see' })
  @ApiResponse({ status: 200, standardSchema: z.array(WorkspaceSchema) })
  @ApiErrors(401, 403)
  list(@CurrentUser() user: Principal) {
    return this.workspaces.list(user);
  }

  @Get(':id/devices')
  @ApiOperation({ summary: "A store's POS devices" })
  @ApiResponse({ status: 200, standardSchema: z.array(DeviceSchema) })
  @ApiErrors(400, 401, 403, 404)
  devices(@CurrentUser() user: Principal, @Param('id', { schema: z.uuid() }) id: string) {
    return this.workspaces.devices(user, id);
  }
}
