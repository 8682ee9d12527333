import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AccessResolver, claimsOf, type Principal } from '@retail/auth';
import { AppConfig } from '@retail/config';
import type { AuthedSocket } from '../handshake/socket-context.js';
import { SocketIndex } from '../sessions/socket-index.js';
import { AccessRevalidation, refusedToken } from './access-revalidation.js';
import { RoomAccessService, type RoomChecks } from './room-access.service.js';

// Distinct tokens resolved per batch: one query for their users, one for their devices, at most two for their rooms.
const BATCH = 500;
// A sweep looks every sixth of the maximum age, and takes the sockets verified more than two thirds of it ago.
const TICKS_PER_AGE = 6;
const DUE_AT = 2 / 3;

/**
 * The safety net under AccessRevalidation: every live socket's principal is resolved again at least
 * every SOCKET_ACCESS_RECHECK_SECONDS (60), so an announcement this replica missed (Redis down, a
 * failed publish) lasts no longer. Sockets are grouped by their claims (a display account's hundred
 * screens are one token to resolve) and resolved in batches, one query for a batch's users and one
 * for its devices, never one per socket: 10,000 sockets cost a few queries a few seconds.
 *
 * While the database is down a socket keeps the access it was last verified with, for a while:
 * ending every socket of the replica at the first failed read would turn a blip into a reconnect
 * storm. One whose access could not be verified for SOCKET_ACCESS_RECHECK_SECONDS is ended,
 * `access_unverifiable`, so no socket lives on access older than that.
 */
@Injectable()
export class AccessSweep implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AccessSweep');
  private readonly maxAgeMs: number;
  private readonly tickMs: number;
  private timer?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    config: AppConfig,
    private readonly index: SocketIndex,
    private readonly access: AccessResolver,
    private readonly rooms: RoomAccessService,
    private readonly revalidation: AccessRevalidation,
  ) {
    this.maxAgeMs = config.websocket.accessRecheckSeconds * 1000;
    this.tickMs = this.maxAgeMs / TICKS_PER_AGE;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), this.tickMs).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const dueBefore = Date.now() - this.maxAgeMs * DUE_AT;
      const due = this.index.all().filter((socket) => socket.data.verifiedAt <= dueBefore);
      for (const batch of batchesByClaims(due)) await this.recheck(batch);
    } finally {
      this.sweeping = false;
    }
  }

  /** Resolves each group's token once and applies it to the group's sockets. */
  private async recheck(groups: AuthedSocket[][]): Promise<void> {
    const mark = this.revalidation.mark();
    const before = new Map(groups.flat().map((socket) => [socket, socket.data.principal]));
    let resolved: PromiseSettledResult<Principal>[];
    let checks: RoomChecks;
    try {
      resolved = await this.access.resolveMany(
        groups.map(([{ data }]) => ({ claims: claimsOf(data.principal), expiresAt: data.principal.expiresAt })),
      );
      checks = this.rooms.checks();
      await checks.load(groups.flat().flatMap((socket) => [...socket.rooms]));
    } catch (error) {
      this.logger.warn(`could not check ${before.size} sockets again: ${(error as Error).message}`);
      for (const socket of before.keys()) this.unverified(socket, error);
      return;
    }
    for (const [i, result] of resolved.entries()) {
      for (const socket of groups[i]) {
        // Ended, refreshed or re-checked since (their principal is another object), or a change is on its way to it.
        if (!socket.connected || socket.data.principal !== before.get(socket) || this.revalidation.changedSince(mark, socket)) continue;
        if (result.status === 'fulfilled')
          await this.revalidation.apply(socket, result.value, checks).catch((e) => this.unverified(socket, e));
        else this.unverified(socket, result.reason);
      }
    }
  }

  /** A refused token ends the session now; a failed read only once the socket's last verification would be too old by the next sweep. */
  private unverified(socket: AuthedSocket, error: unknown): void {
    if (refusedToken(error) || Date.now() - socket.data.verifiedAt + this.tickMs > this.maxAgeMs)
      this.revalidation.failClosed(socket, error);
  }
}

/** The sockets grouped by the claims they resolve from, in batches of at most BATCH groups. */
function batchesByClaims(sockets: AuthedSocket[]): AuthedSocket[][][] {
  const groups = new Map<string, AuthedSocket[]>();
  for (const socket of sockets) {
    const key = JSON.stringify(claimsOf(socket.data.principal));
    const group = groups.get(key);
    if (group) group.push(socket);
    else groups.set(key, [socket]);
  }
  const all = [...groups.values()];
  return Array.from({ length: Math.ceil(all.length / BATCH) }, (_, i) => all.slice(i * BATCH, (i + 1) * BATCH));
}
