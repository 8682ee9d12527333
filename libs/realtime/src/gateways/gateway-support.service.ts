import { Injectable } from '@nestjs/common';
import { TokenService } from '../../../auth/src/index.js';
import { MetricsService } from '../../../observability/src/index.js';
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
