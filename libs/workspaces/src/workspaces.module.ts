import { Module } from '@nestjs/common';
import { DevicesController } from './devices.controller.js';
import { DevicesService } from './devices.service.js';
import { WorkspacesController } from './workspaces.controller.js';
import { WorkspacesService } from './workspaces.service.js';

@Module({
  controllers: [WorkspacesController, DevicesController],
  providers: [WorkspacesService, DevicesService],
  exports: [WorkspacesService],
})
export class WorkspacesModule {}
