import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';

/** Namespaces served by this replica, registered by the gateways once they are initialised. */
@Injectable()
export class SocketServerRegistry {
  private readonly namespaces = new Map<string, Namespace>();

  register(namespace: Namespace): void {
    this.namespaces.set(namespace.name, namespace);
  }

  get(path: string): Namespace | undefined {
    return this.namespaces.get(path);
  }
}
