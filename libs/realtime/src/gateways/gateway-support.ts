import { Injectable } from '@nestjs/common';
import { TokenService } from '@retail/auth';
import { MetricsService } from '@retail/observability';
import { SocketServerRegistry } from '../publishing/socket-server.registry.js';
import { RoomAccessService } from '../rooms/room-access.service.js';

/** The collaborators every gateway needs, injected as one. */
@Injectable()
export class GatewaySupport {
  constructor(
    readonly tokens: TokenService,
    readonly metrics: MetricsService,
    readonly registry: SocketServerRegistry,
    readonly rooms: RoomAccessService,
  ) {}
}
