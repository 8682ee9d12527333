import { Injectable } from '@nestjs/common';
import type { Prisma, SessionEndReason, Tx } from '@retail/database';
import { AccessChanges } from '../access/access-changes.js';

/**
 * Ends login sessions, for good: an ended session's access tokens answer 401 `token_revoked` and
 * its refresh tokens `refresh_token_revoked`, and nothing brings it back. Each call ends the
 * sessions in the caller's transaction and, once it commits, announces them (with their users, so
 * that every replica re-resolves those users' live sockets, which the ended ones fail).
 */
@Injectable()
export class LoginSessions {
  constructor(private readonly accessChanges: AccessChanges) {}

  /** One session (logout, a reused refresh token). */
  end(tx: Tx, sessionId: string, reason: SessionEndReason): Promise<void> {
    return this.endWhere(tx, { id: sessionId }, reason);
  }

  /** Every session of a user, but `exceptSessionId` if given (the caller's own, on a password change). */
  endAllOfUser(tx: Tx, userId: string, reason: SessionEndReason, exceptSessionId?: string): Promise<void> {
    return this.endWhere(tx, { userId, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) }, reason);
  }

  /** Every session opened on a till. */
  endAllOfDevice(tx: Tx, deviceId: string, reason: SessionEndReason): Promise<void> {
    return this.endWhere(tx, { deviceId }, reason);
  }

  private async endWhere(tx: Tx, where: Prisma.LoginSessionWhereInput, reason: SessionEndReason): Promise<void> {
    const ended = await tx.loginSession.updateManyAndReturn({
      where: { ...where, endedAt: null },
      data: { endedAt: new Date(), endReason: reason },
      select: { id: true, userId: true },
    });
    if (!ended.length) return;
    this.accessChanges.announceAfterCommit(tx, {
      userIds: [...new Set(ended.map((s) => s.userId))],
      sessionIds: ended.map((s) => s.id),
    });
  }
}
