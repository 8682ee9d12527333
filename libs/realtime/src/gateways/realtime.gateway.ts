import { Injectable } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
} from '@nestjs/websockets';

import { RoomCommand, COMMANDS, NAMESPACES, type NamespaceKey } from '@retail/realtime-protocol';
import { handshakeMiddleware } from '../handshake/handshake.middleware.js';
import type { AuthedSocket, RealtimeNamespace } from '../handshake/socket-context.js';
import { runCommand } from './command-runner.js';
import { GatewaySupport } from './gateway-support.js';

// setTimeout cannot wait longer than 2^31-1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What the four namespaces share: authenticate in namespace middleware, join the caller's rooms,
 * drop the socket when its token expires, and let it subscribe to / leave store rooms.
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
    const { principal } = socket.data;
    await socket.join(this.support.rooms.defaultRooms(principal, this.namespace));
    const ttl = principal.expiresAt * 1000 - Date.now();
    // An expired token ends the session; the client reconnects with a fresh token.
    socket.data.expiryTimer = setTimeout(() => socket.disconnect(true), Math.min(Math.max(ttl, 0), MAX_TIMER_MS));
    this.support.metrics.socketsConnected.inc({ namespace: NAMESPACES[this.namespace].path });
  }

  handleDisconnect(socket: AuthedSocket) {
    clearTimeout(socket.data.expiryTimer);
    if (socket.data.principal) this.support.metrics.socketsConnected.dec({ namespace: NAMESPACES[this.namespace].path });
  }

  @SubscribeMessage(COMMANDS.subscribe.name)
  subscribe(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return runCommand(socket, RoomCommand, payload, async ({ room }) => {
      const joined = await this.support.rooms.assertCanSubscribe(socket.data.principal, this.namespace, room);
      await socket.join(joined);
      return { room: joined };
    });
  }

  @SubscribeMessage(COMMANDS.unsubscribe.name)
  unsubscribe(@ConnectedSocket() socket: AuthedSocket, @MessageBody() payload: unknown) {
    return runCommand(socket, RoomCommand, payload, async ({ room }) => {
      await socket.leave(room);
      return { room };
    });
  }
}
