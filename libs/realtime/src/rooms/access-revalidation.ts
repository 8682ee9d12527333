import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AccessChanges, AccessResolver, claimsOf, hasPermission, type AccessChange } from '@retail/auth';
import { AppError } from '@retail/common';
import { NAMESPACES, Rooms, type NamespaceKey } from '@retail/realtime-protocol';
import { endSession } from '../handshake/end-session.js';
import type { AuthedSocket, RealtimeNamespace } from '../handshake/socket-context.js';
import { SocketServerRegistry } from '../publishing/socket-server.registry.js';
import { RoomAccessService } from './room-access.service.js';

/**
 * Revocation that reaches live sockets: when a user's (or a device's) access changes, every
 * replica resolves its own sockets of them again. A revoked token, or a role that lost the
 * namespace, ends the session with `token_revoked`; otherwise the socket keeps its session, with
 * the new principal, and leaves the rooms it may no longer see.
 */
@Injectable()
export class AccessRevalidation implements OnModuleInit {
  private readonly logger = new Logger('AccessRevalidation');

  constructor(
    private readonly changes: AccessChanges,
    private readonly access: AccessResolver,
    private readonly registry: SocketServerRegistry,
    private readonly rooms: RoomAccessService,
  ) {}

  onModuleInit(): void {
    this.changes.onChanged((change) => this.revalidate(change));
  }

  private async revalidate({ userIds, deviceIds }: AccessChange): Promise<void> {
    const rooms = [...userIds.map(Rooms.user), ...deviceIds.map(Rooms.pos)];
    const checks = (Object.keys(NAMESPACES) as NamespaceKey[]).flatMap((key) => {
      const namespace = this.registry.get(NAMESPACES[key].path);
      return namespace ? localSocketsIn(namespace, rooms).map((socket) => this.recheck(key, socket)) : [];
    });
    await Promise.all(checks);
  }

  private async recheck(namespace: NamespaceKey, socket: AuthedSocket): Promise<void> {
    const { permission } = NAMESPACES[namespace];
    try {
      const before = socket.data.principal;
      const principal = await this.access.resolve(claimsOf(before), before.expiresAt);
      if (!hasPermission(principal, permission)) {
        endSession(socket, 'token_revoked', `This token no longer grants ${permission}`);
        return;
      }
      socket.data.principal = principal;
      for (const room of [...socket.rooms]) {
        if (!(await this.rooms.mayStayIn(principal, namespace, room))) await socket.leave(room);
      }
    } catch (error) {
      if (error instanceof AppError && error.code === 'token_revoked') endSession(socket, 'token_revoked', error.message);
      // The database being down: the socket keeps the access it had; logged, as this change did not reach it.
      else this.logger.error(`could not re-check socket ${socket.id}: ${(error as Error).message}`);
    }
  }
}

/** This replica's sockets in any of `rooms` (the adapter's room index is local to each replica). */
function localSocketsIn(namespace: RealtimeNamespace, rooms: string[]): AuthedSocket[] {
  const ids = new Set(rooms.flatMap((room) => [...(namespace.adapter.rooms.get(room) ?? [])]));
  return [...ids].map((id) => namespace.sockets.get(id)).filter((socket): socket is AuthedSocket => Boolean(socket));
}
