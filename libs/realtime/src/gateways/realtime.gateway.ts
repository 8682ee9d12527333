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
import { AppError } from '@retail/common';
import { positionsIn } from '../streams/stream-sessions.js';
import { GatewaySupport } from './gateway-support.js';

// setTimeout cannot wait longer than 2^31-1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What the four namespaces share: authenticate in namespace middleware, join the caller's rooms
 * and resume them, drop the socket when its token expires unless it is refreshed in band, and let
 * it subscribe to / leave store rooms. Every socket is indexed by its user, device and session, so
 * that access changes reach it whatever rooms it joined or left.
 */
@Injectable()
export abstract class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  protected abstract readonly namespace: NamespaceKey;

  constructor(protected readonly support: GatewaySupport) {}

  afterInit(namespace: RealtimeNamespace) {
    this.support.registry.register(namespace);
    namespace.use(handshakeMiddleware(this.support, this.namespace));
  }

  async handleConnection(socket: AuthedSocket) {
    this.support.metrics.socketsConnected.inc({ namespace: NAMESPACES[this.namespace].path });
    this.support.index.index(socket);
    // A change announced while the handshake resolved the principal may be missing from it.
    await this.support.revalidation.recheckIfChanged(socket, socket.data.accessMark);
    if (!socket.connected) return;
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
    if (principal.deviceId && principal.deviceWorkspaceId) {
      const { deviceId, deviceWorkspaceId: workspaceId, companyId } = principal;
      this.support.presence.connected({ socketId: socket.id, deviceId, workspaceId, companyId, appVersion: socket.data.appVersion });
    }
  }

  handleDisconnect(socket: AuthedSocket) {
    this.support.presence.disconnected(socket.id);
    clearTimeout(socket.data.expiryTimer);
    this.support.holds.forget(socket);
    if (socket.data.principal) this.support.metrics.socketsConnected.dec({ namespace: NAMESPACES[this.namespace].path });
  }

  @SubscribeMessage(COMMANDS.subscribe.name)
  subscribe(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return this.support.commands.run(socket, RoomCommand, payload, async ({ room }) => {
      const mark = this.support.revalidation.mark();
      const joined = await this.support.rooms.assertCanSubscribe(socket.data.principal, this.namespace, room);
      await socket.join(joined);
      // A change announced during the check may have taken the room away: then it is left again.
      await this.support.revalidation.recheckIfChanged(socket, mark);
      if (!socket.rooms.has(joined)) throw AppError.forbidden(`Not allowed to join ${room}`);
      return this.support.streams ? { room: joined, position: await this.support.sessions.head(socket, joined) } : { room: joined };
    });
  }

  @SubscribeMessage(COMMANDS.resume.name)
  resume(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return this.support.commands.run(socket, ResumeCommand, payload, async ({ rooms }) => {
      if (!this.support.streams)
        throw AppError.conflict('streams_disabled', 'This deployment keeps no stream history (EVENT_STREAMS=false)');
      // A replay hands out history: every room the socket keeps is checked again first, against access resolved afresh.
      await this.support.revalidation.recheck(socket);
      if (!socket.connected) return {};
      const { allowed, refused } = await this.sortResumable(socket.data.principal, rooms, socket.rooms);
      await socket.join(allowed);
      const replay = this.support.sessions.resume(socket, positionsIn(rooms, [...socket.rooms]), refused);
      // After the ack has left.
      setImmediate(() => void replay());
      return {};
    });
  }

  /** Splits rooms into those this caller may be in on this namespace and the others. Chat adds chat rooms. */
  protected sortRooms(principal: Principal, rooms: string[]): Promise<{ allowed: string[]; refused: string[] }> {
    return this.support.rooms.checks().sort(principal, this.namespace, rooms);
  }

  /** Splits the rooms a client asks to resume, besides those it is in already, into those it may see and those it may not. */
  private async sortResumable(principal: Principal, resume: RoomPositions, joined: Iterable<string>) {
    const skip = new Set(joined);
    const { allowed, refused } = await this.sortRooms(
      principal,
      Object.keys(resume).filter((room) => !skip.has(room)),
    );
    return { allowed, refused: Object.fromEntries(refused.map((room) => [room, 'forbidden' as const])) };
  }

  /**
   * A fresh token for the same user and device takes over the socket: same rooms (those it may
   * still be in), same stream, a later expiry. Any other token is refused and the session keeps
   * its current expiry.
   */
  @SubscribeMessage(COMMANDS.authRefresh.name)
  refreshToken(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return this.support.commands.run(socket, AuthRefreshCommand, payload, async ({ token }) => {
      const { path, permission } = NAMESPACES[this.namespace];
      const principal = await authenticateSocket(this.support.access, token, path, permission);
      const current = socket.data.principal;
      if (principal.userId !== current.userId || principal.deviceId !== current.deviceId) {
        throw new AppError(HttpStatus.FORBIDDEN, 'token_mismatch', 'The token is for another user or device; reconnect to switch');
      }
      socket.data.principal = principal;
      this.support.index.index(socket);
      // The rooms it keeps are checked against the new token's access.
      await this.support.revalidation.recheck(socket);
      if (socket.connected) this.armExpiry(socket);
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
    return this.support.commands.run(socket, RoomCommand, payload, async ({ room }) => {
      await socket.leave(room);
      return { room };
    });
  }
}
