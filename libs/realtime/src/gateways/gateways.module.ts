import { Module } from '@nestjs/common';
import { WorkspacesModule } from '@retail/workspaces';
import { RoomAccessService } from '../rooms/room-access.service.js';
import { SlowConsumerWatch } from '../sessions/slow-consumers.js';
import { StreamSessions } from '../streams/stream-sessions.js';
import { ChatGateway } from './chat.gateway.js';
import { GatewaySupport } from './gateway-support.js';
import { InventoryGateway } from './inventory.gateway.js';
import { NotificationsGateway } from './notifications.gateway.js';
import { PosGateway } from './pos.gateway.js';

/** The socket-serving half of the realtime layer; left out when WEBSOCKET_ENABLED=false. */
@Module({
  imports: [WorkspacesModule],
  providers: [
    RoomAccessService,
    StreamSessions,
    GatewaySupport,
    PosGateway,
    InventoryGateway,
    NotificationsGateway,
    ChatGateway,
    SlowConsumerWatch,
  ],
})
export class GatewaysModule {}
