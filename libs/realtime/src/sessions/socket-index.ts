import { Injectable } from '@nestjs/common';
import type { AccessChange, Principal } from '@retail/auth';
import { onceGone } from '../handshake/socket-gone.js';
import type { AuthedSocket } from '../handshake/socket-context.js';

/** The index keys of a principal: its user, device and login session. */
export const principalKeys = (principal: Principal): string[] => [
  `user:${principal.userId}`,
  ...(principal.deviceId ? [`device:${principal.deviceId}`] : []),
  ...(principal.sessionId ? [`session:${principal.sessionId}`] : []),
];

/** The index keys an access change concerns. */
export const changeKeys = ({ userIds, deviceIds, sessionIds }: AccessChange): string[] => [
  ...userIds.map((id) => `user:${id}`),
  ...deviceIds.map((id) => `device:${id}`),
  ...sessionIds.map((id) => `session:${id}`),
];

/**
 * This replica's live sockets, of every namespace, by user, device and login session: how an access
 * change finds them. The server keeps it, so nothing a client does (such as leaving its own
 * `user:` or `pos:` room) hides a socket from revocation.
 */
@Injectable()
export class SocketIndex {
  private readonly byKey = new Map<string, Set<AuthedSocket>>();
  private readonly keysOf = new Map<AuthedSocket, string[]>();

  /** Indexes the socket under its principal until it is gone; again after its principal changed (auth.refresh). */
  index(socket: AuthedSocket): void {
    const known = this.keysOf.has(socket);
    this.remove(socket);
    const keys = principalKeys(socket.data.principal);
    this.keysOf.set(socket, keys);
    for (const key of keys) (this.byKey.get(key) ?? this.byKey.set(key, new Set()).get(key)!).add(socket);
    if (!known) onceGone(socket, () => this.remove(socket));
  }

  /** The sockets an access change concerns. */
  affectedBy(change: AccessChange): AuthedSocket[] {
    return [...new Set(changeKeys(change).flatMap((key) => [...(this.byKey.get(key) ?? [])]))];
  }

  /** Every socket indexed. */
  all(): AuthedSocket[] {
    return [...this.keysOf.keys()];
  }

  private remove(socket: AuthedSocket): void {
    for (const key of this.keysOf.get(socket) ?? []) {
      const sockets = this.byKey.get(key)!;
      sockets.delete(socket);
      if (!sockets.size) this.byKey.delete(key);
    }
    this.keysOf.delete(socket);
  }
}
