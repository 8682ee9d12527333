import { Global, Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';
import { AsyncApiController } from './asyncapi/asyncapi.controller.js';
import { GatewaysModule } from './gateways/gateways.module.js';
import { TillPresence } from './presence/till-presence.js';
import { EventPublisher } from './publishing/event-publisher.js';
import { SocketServerRegistry } from './publishing/socket-server.registry.js';
import { RealtimeService } from './realtime.service.js';
import { SocketDrain } from './sessions/socket-drain.js';
import { EventOutbox } from './streams/event-outbox.js';
import { ReplayHolds } from './streams/replay-holds.js';
import { StreamFanout } from './streams/stream-fanout.js';
import { StreamRelay } from './streams/stream-relay.js';
import { StreamStore } from './streams/stream-store.js';

/** The realtime facade and its publishing pipeline; domain modules inject RealtimeService only. */
@Global()
@Module({
  // A REST-only replica (WEBSOCKET_ENABLED=false) still publishes, through Redis, to the others.
  imports: [ConditionalModule.registerWhen(GatewaysModule, (env) => env.WEBSOCKET_ENABLED !== 'false')],
  controllers: [AsyncApiController],
  providers: [
    SocketServerRegistry,
    EventPublisher,
    StreamStore,
    ReplayHolds,
    StreamFanout,
    StreamRelay,
    EventOutbox,
    RealtimeService,
    SocketDrain,
    TillPresence,
  ],
  exports: [RealtimeService, TillPresence, SocketServerRegistry, StreamStore, ReplayHolds, SocketDrain],
})
export class RealtimeModule {}
