import { Injectable } from '@nestjs/common';
import { AccessResolver, RateBudgets } from '@retail/auth';
import { AppConfig } from '@retail/config';
import { MetricsService } from '@retail/observability';
import { TillPresence } from '../presence/till-presence.js';
import { SocketServerRegistry } from '../publishing/socket-server.registry.js';
import { SocketSlots } from '../handshake/socket-slots.js';
import { AccessRevalidation } from '../rooms/access-revalidation.js';
import { RoomAccessService } from '../rooms/room-access.service.js';
import { SocketIndex } from '../sessions/socket-index.js';
import { ReplayHolds } from '../streams/replay-holds.js';
import { StreamSessions } from '../streams/stream-sessions.js';
import { CommandRunner } from './command-runner.js';

/** The collaborators every gateway needs, injected as one. */
@Injectable()
export class GatewaySupport {
  constructor(
    readonly access: AccessResolver,
    readonly budgets: RateBudgets,
    readonly commands: CommandRunner,
    readonly metrics: MetricsService,
    readonly registry: SocketServerRegistry,
    readonly index: SocketIndex,
    readonly revalidation: AccessRevalidation,
    readonly rooms: RoomAccessService,
    readonly sessions: StreamSessions,
    readonly holds: ReplayHolds,
    readonly config: AppConfig,
    readonly socketSlots: SocketSlots,
    readonly presence: TillPresence,
  ) {}

  /** With EVENT_STREAMS=false there are no positions and nothing to resume. */
  get streams(): boolean {
    return this.config.streams.enabled;
  }
}
