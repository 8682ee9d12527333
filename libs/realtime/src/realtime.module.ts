import { Global, Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';
import { AsyncApiController } from './asyncapi/asyncapi.controller.js';
import { GatewaysModule } from './gateways/gateways.module.js';
import { EventPublisher } from './publishing/event-publisher.js';
import { SocketServerRegistry } from './publishing/socket-server.registry.js';
import { RealtimeService } from './realtime.service.js';

/** The realtime facade and its publishing pipeline; domain modules inject RealtimeService only. */
@Global()
@Module({
  // A REST-only replica (WEBSOCKET_ENABLED=false) still publishes, through Redis, to the others.
  imports: [ConditionalModule.registerWhen(GatewaysModule, (env) => env.WEBSOCKET_ENABLED !== 'false')],
  controllers: [AsyncApiController],
  providers: [SocketServerRegistry, EventPublisher, RealtimeService],
  exports: [RealtimeService, SocketServerRegistry],
})
export class RealtimeModule {}
