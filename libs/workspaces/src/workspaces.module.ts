import { Module } from '@nestjs/common';
import { DevicesController } from './devices.controller.js';
import { DevicesService } from './devices.service.js';
import { WorkspacesController } from './workspaces.controller.js';
import { StorePresenceService } from './store-presence.service.js';
import { WorkspacesService } from './workspaces.service.js';

@Module({
  controllers: [WorkspacesController, DevicesController],
  providers: [WorkspacesService, DevicesService, StorePresenceService],
  exports: [WorkspacesService],
})
export class WorkspacesModule {}
