import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { WorkspacesService } from './workspaces.service.js';

const WorkspaceSchema = z.object({ id: Id, name: z.string(), timeZone: z.string(), companyId: Id }).meta({ id: 'Workspace' });
const DeviceSchema = z.object({ id: Id, name: z.string(), workspaceId: Id }).meta({ id: 'PosDevice' });

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
  devices(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.workspaces.devices(user, id);
  }
}
