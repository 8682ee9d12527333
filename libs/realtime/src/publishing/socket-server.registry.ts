import { Injectable } from '@nestjs/common';
import type { AuthedSocket, RealtimeNamespace } from '../handshake/socket-context.js';

/** Namespaces served by this replica, registered by the gateways once they are initialised. */
@Injectable()
export class SocketServerRegistry {
  private readonly namespaces = new Map<string, RealtimeNamespace>();

  register(namespace: RealtimeNamespace): void {
    this.namespaces.set(namespace.name, namespace);
  }

  get(path: string): RealtimeNamespace | undefined {
    return this.namespaces.get(path);
  }

  /** Every socket of this replica, grouped by the connection they share (a client multiplexes namespaces over one). */
  connections(): Map<AuthedSocket['conn'], AuthedSocket[]> {
    const byConnection = new Map<AuthedSocket['conn'], AuthedSocket[]>();
    for (const namespace of this.namespaces.values()) {
      for (const socket of namespace.sockets.values()) {
        const sockets = byConnection.get(socket.conn);
        if (sockets) sockets.push(socket);
        else byConnection.set(socket.conn, [socket]);
      }
    }
    return byConnection;
  }
}
