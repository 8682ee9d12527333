import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
} from '@nestjs/websockets';
import type { Principal } from '@retail/auth';
import {
  AuthRefreshCommand,
  COMMANDS,
  NAMESPACES,
  ResumeCommand,
  RoomCommand,
  type NamespaceKey,
  type RoomPositions,
} from '@retail/realtime-protocol';
import { endSession } from '../handshake/end-session.js';
import { authenticateSocket, handshakeMiddleware } from '../handshake/handshake.middleware.js';
import type { AuthedSocket, RealtimeNamespace } from '../handshake/socket-context.js';
import { runCommand } from './command-runner.js';
import { AppError } from '@retail/common';
import { positionsIn } from '../streams/stream-sessions.js';
import { GatewaySupport } from './gateway-support.js';

// setTimeout cannot wait longer than 2^31-1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What the four namespaces share: authenticate in namespace middleware, join the caller's rooms
 * and resume them, drop the socket when its token expires unless it is refreshed in band, and let
 * it subscribe to / leave store rooms.
 */
@Injectable()
export abstract class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  protected abstract readonly namespace: NamespaceKey;

  constructor(protected readonly support: GatewaySupport) {}

  afterInit(namespace: RealtimeNamespace) {
    const { path, permission } = NAMESPACES[this.namespace];
    this.support.registry.register(namespace);
    namespace.use(handshakeMiddleware(this.support, path, permission));
  }

  async handleConnection(socket: AuthedSocket) {
    this.support.metrics.socketsConnected.inc({ namespace: NAMESPACES[this.namespace].path });
    const { principal, resume } = socket.data;
    const rooms = this.support.rooms.defaultRooms(principal, this.namespace);
    // Exceptions here escape Nest's filters: a failure ends the socket, and the client reconnects.
    try {
      const { allowed, refused } = await this.sortResumable(principal, resume, rooms);
      if (this.support.streams) await this.support.sessions.open(socket, [...new Set([...rooms, ...allowed])], resume, refused);
      else await socket.join(rooms);
    } catch (error) {
      socket.disconnect(true);
      throw error;
    }
    this.armExpiry(socket);
  }

  handleDisconnect(socket: AuthedSocket) {
    clearTimeout(socket.data.expiryTimer);
    this.support.holds.forget(socket);
    if (socket.data.principal) this.support.metrics.socketsConnected.dec({ namespace: NAMESPACES[this.namespace].path });
  }

  @SubscribeMessage(COMMANDS.subscribe.name)
  subscribe(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return runCommand(socket, RoomCommand, payload, async ({ room }) => {
      const joined = await this.support.rooms.assertCanSubscribe(socket.data.principal, this.namespace, room);
      await socket.join(joined);
      return this.support.streams ? { room: joined, position: await this.support.sessions.head(socket, joined) } : { room: joined };
    });
  }

  @SubscribeMessage(COMMANDS.resume.name)
  resume(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return runCommand(socket, ResumeCommand, payload, async ({ rooms }) => {
      if (!this.support.streams)
        throw AppError.conflict('streams_disabled', 'This deployment keeps no stream history (EVENT_STREAMS=false)');
      const joined = [...socket.rooms];
      const { allowed, refused } = await this.sortResumable(socket.data.principal, rooms, joined);
      await socket.join(allowed);
      const replay = this.support.sessions.resume(socket, positionsIn(rooms, [...joined, ...allowed]), refused);
      // After the ack has left.
      setImmediate(() => void replay());
      return {};
    });
  }

  /** May this caller be in `room` on this namespace? Chat overrides it for chat rooms. */
  protected mayJoin(principal: Principal, room: string): Promise<boolean> {
    return allowedBy(this.support.rooms.assertCanSubscribe(principal, this.namespace, room));
  }

  /** Splits the rooms a client asks to resume into those it may still see and those it may not. */
  private async sortResumable(principal: Principal, resume: RoomPositions, joined: string[]) {
    const allowed: string[] = [];
    const refused: Record<string, 'forbidden'> = {};
    for (const room of Object.keys(resume)) {
      if (joined.includes(room)) continue;
      if (await this.mayJoin(principal, room)) allowed.push(room);
      else refused[room] = 'forbidden';
    }
    return { allowed, refused };
  }

  /**
   * A fresh token for the same user and device takes over the socket: same rooms, same stream,
   * a later expiry. Any other token is refused and the session keeps its current expiry.
   */
  @SubscribeMessage(COMMANDS.authRefresh.name)
  refreshToken(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return runCommand(socket, AuthRefreshCommand, payload, async ({ token }) => {
      const { path, permission } = NAMESPACES[this.namespace];
      const principal = await authenticateSocket(this.support.access, token, path, permission);
      const current = socket.data.principal;
      if (principal.userId !== current.userId || principal.deviceId !== current.deviceId) {
        throw new AppError(HttpStatus.FORBIDDEN, 'token_mismatch', 'The token is for another user or device; reconnect to switch');
      }
      socket.data.principal = principal;
      this.armExpiry(socket);
      return { expiresAt: principal.expiresAt };
    });
  }

  /** An expired token ends the session (the client reconnects with a fresh one), unless auth.refresh extends it first. */
  private armExpiry(socket: AuthedSocket): void {
    clearTimeout(socket.data.expiryTimer);
    const ttl = socket.data.principal.expiresAt * 1000 - Date.now();
    socket.data.expiryTimer = setTimeout(
      () => endSession(socket, 'token_expired', 'The access token has expired'),
      Math.min(Math.max(ttl, 0), MAX_TIMER_MS),
    );
  }

  @SubscribeMessage(COMMANDS.unsubscribe.name)
  unsubscribe(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return runCommand(socket, RoomCommand, payload, async ({ room }) => {
      await socket.leave(room);
      return { room };
    });
  }
}

/**
 * Whether an access check passed: a refusal (403, 404) is a no; anything else, such as the
 * database being down, is an error, never a quiet "forbidden".
 */
export function allowedBy(check: Promise<unknown>): Promise<boolean> {
  return check.then(
    () => true,
    (error: unknown) => {
      if (error instanceof AppError && [HttpStatus.FORBIDDEN, HttpStatus.NOT_FOUND].includes(error.getStatus())) return false;
      throw error;
    },
  );
}
