import { HttpStatus, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AccessChanges, AccessResolver, claimsOf, hasPermission, type AccessChange, type Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { NAMESPACES } from '@retail/realtime-protocol';
import { endSession } from '../handshake/end-session.js';
import type { AuthedSocket } from '../handshake/socket-context.js';
import { SocketIndex } from '../sessions/socket-index.js';
import { AccessChangeLog } from './access-change-log.js';
import { RoomAccessService, type RoomChecks } from './room-access.service.js';

/**
 * Revocation that reaches live sockets. When a user's, a device's or a login session's access
 * changes, every replica finds its own sockets of them in its SocketIndex (never through rooms,
 * which clients leave as they like) and resolves them again: a revoked token, or a role that lost
 * the namespace, ends the session with `token_revoked`; otherwise the socket keeps its session,
 * with the new principal, and leaves the rooms it may no longer see. A re-check that cannot reach
 * the database fails closed: `access_unverifiable`. AccessSweep re-resolves every socket besides.
 */
@Injectable()
export class AccessRevalidation implements OnModuleInit {
  private readonly logger = new Logger('AccessRevalidation');
  private readonly log = new AccessChangeLog();

  constructor(
    private readonly changes: AccessChanges,
    private readonly access: AccessResolver,
    private readonly index: SocketIndex,
    private readonly rooms: RoomAccessService,
  ) {}

  onModuleInit(): void {
    // After AccessResolver's listener (registered when it was built): the cache is dropped first.
    this.changes.onChanged((change) => this.revalidate(change));
  }

  /** To take before resolving a principal: see `recheckIfChanged`. */
  mark(): number {
    return this.log.mark();
  }

  /** Whether a change of the socket's principal was heard after `mark`. */
  changedSince(mark: number, socket: AuthedSocket): boolean {
    return this.log.changedSince(mark, socket.data.principal);
  }

  /**
   * For a principal resolved after `mark` (a handshake, `auth.refresh`) or a room check made with
   * one (`subscribe`): a change heard since may not be in what was read, so resolve again.
   */
  recheckIfChanged(socket: AuthedSocket, mark: number): Promise<void> {
    return this.changedSince(mark, socket) ? this.recheck(socket) : Promise.resolve();
  }

  /**
   * Resolves the socket's principal again and applies it. One re-check per socket at a time: asked
   * again meanwhile, it runs once more after the current one, whose read may predate the reason.
   */
  recheck(socket: AuthedSocket): Promise<void> {
    const running = socket.data.recheck;
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: true, done: Promise.resolve() };
    socket.data.recheck = state;
    state.done = (async () => {
      while (state.again && socket.connected) {
        state.again = false;
        await this.recheckOnce(socket);
      }
    })().finally(() => (socket.data.recheck = undefined));
    return state.done;
  }

  /**
   * Gives the socket a freshly resolved principal: ends the session if it lost the namespace, else
   * keeps it with the new principal and leaves the rooms it may no longer be in (`checks` may have
   * read what they need already: a sweep reads every socket's rooms at once).
   */
  async apply(socket: AuthedSocket, principal: Principal, checks: RoomChecks): Promise<void> {
    const { namespace } = socket.data;
    const { permission } = NAMESPACES[namespace];
    if (!hasPermission(principal, permission)) return endSession(socket, 'token_revoked', `This token no longer grants ${permission}`);
    socket.data.principal = { ...principal, expiresAt: socket.data.principal.expiresAt };
    socket.data.verifiedAt = Date.now();
    for (const room of await checks.lost(principal, namespace, socket.rooms)) await socket.leave(room);
  }

  /** Ends a socket whose re-check failed: a refused token as revoked; anything else (the database down) fails closed. */
  failClosed(socket: AuthedSocket, error: unknown): void {
    if (refusedToken(error)) endSession(socket, 'token_revoked', (error as AppError).message);
    else endSession(socket, 'access_unverifiable', 'Your access could not be checked again; reconnect shortly');
  }

  private async revalidate(change: AccessChange): Promise<void> {
    this.log.record(change);
    await Promise.all(this.index.affectedBy(change).map((socket) => this.recheck(socket)));
  }

  private async recheckOnce(socket: AuthedSocket): Promise<void> {
    const before = socket.data.principal;
    try {
      const principal = await this.access.resolve(claimsOf(before), before.expiresAt);
      await this.apply(socket, principal, this.rooms.checks());
    } catch (error) {
      if (!refusedToken(error)) this.logger.warn(`could not check socket ${socket.id} again, ending it: ${(error as Error).message}`);
      this.failClosed(socket, error);
    }
  }
}

/** Whether the resolver refused the token (401: revoked, …), as opposed to a check that could not run. */
export const refusedToken = (error: unknown): boolean => error instanceof AppError && error.getStatus() === HttpStatus.UNAUTHORIZED;
