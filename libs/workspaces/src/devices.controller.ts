import { Body, Controller, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { DevicesService } from './devices.service.js';
import { DeviceSchema, UpdateDeviceSchema, type UpdateDeviceDto } from './workspace.dto.js';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('devices')
@RequirePermissions('devices:manage')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Move a POS device to another store, or retire it; takes effect at once for its tokens and sockets' })
  @ApiResponse({ status: 200, standardSchema: DeviceSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @CurrentUser() admin: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: UpdateDeviceSchema }) body: UpdateDeviceDto,
  ) {
    return this.devices.update(admin, id, body);
  }
}
