import { Module } from '@nestjs/common';
import { WorkspacesModule } from '@retail/workspaces';
import { SocketSlots } from '../handshake/socket-slots.js';
import { AccessRevalidation } from '../rooms/access-revalidation.js';
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
    AccessRevalidation,
    StreamSessions,
    SocketSlots,
    GatewaySupport,
    PosGateway,
    InventoryGateway,
    NotificationsGateway,
    ChatGateway,
    SlowConsumerWatch,
  ],
})
export class GatewaysModule {}
