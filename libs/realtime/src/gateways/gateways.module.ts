import { Module } from '@nestjs/common';
import { SocketSlots } from '../handshake/socket-slots.js';
import { AccessRevalidation } from '../rooms/access-revalidation.js';
import { AccessSweep } from '../rooms/access-sweep.js';
import { RoomAccessService } from '../rooms/room-access.service.js';
import { SlowConsumerWatch } from '../sessions/slow-consumers.js';
import { SocketIndex } from '../sessions/socket-index.js';
import { ReplayBudget } from '../streams/replay-budget.js';
import { StreamSessions } from '../streams/stream-sessions.js';
import { ChatGateway } from './chat.gateway.js';
import { CommandRunner } from './command-runner.js';
import { GatewaySupport } from './gateway-support.js';
import { InventoryGateway } from './inventory.gateway.js';
import { NotificationsGateway } from './notifications.gateway.js';
import { PosGateway } from './pos.gateway.js';

/** The socket-serving half of the realtime layer; left out when WEBSOCKET_ENABLED=false. */
@Module({
  providers: [
    RoomAccessService,
    SocketIndex,
    AccessRevalidation,
    AccessSweep,
    CommandRunner,
    StreamSessions,
    ReplayBudget,
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
