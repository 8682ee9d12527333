import type { AccessTokenClaims } from '../principal.js';

/** A login session as access checks need it. */
export interface SessionAccess {
  userId: string;
  deviceId: string | null;
  /** Epoch ms: past it the session is over, whatever its tokens say. */
  expiresAt: number;
  ended: boolean;
}

/**
 * Why the token's session refuses it, or undefined when the session is live and the token's own:
 * the same user and the same device. A token outlives neither its session's end nor its lifetime.
 */
export function sessionRefusal(session: SessionAccess | undefined, claims: AccessTokenClaims, now: number): string | undefined {
  if (!session || session.userId !== claims.sub || (session.deviceId ?? undefined) !== claims.deviceId) {
    return 'This access token names no session of its own';
  }
  if (session.ended) return 'This session has ended; log in again';
  if (session.expiresAt <= now) return 'This session has reached its maximum age; log in again';
  return undefined;
}
