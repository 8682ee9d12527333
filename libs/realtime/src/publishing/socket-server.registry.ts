import { Injectable } from '@nestjs/common';
import type { RealtimeNamespace } from '../handshake/socket-context.js';

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
}
