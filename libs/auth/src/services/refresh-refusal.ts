/** Why an unused refresh token may not be exchanged, or undefined when it may. */
export function refreshRefusal(
  session: { endedAt: Date | null; expiresAt: Date },
  token: { expiresAt: Date },
  now: Date,
): { code: string; message: string } | undefined {
  if (session.endedAt) return { code: 'refresh_token_revoked', message: 'This session has ended; log in again' };
  if (session.expiresAt <= now) {
    return { code: 'session_expired', message: 'This session has reached its maximum age (SESSION_MAX_DAYS); log in again' };
  }
  if (token.expiresAt <= now) return { code: 'refresh_token_expired', message: 'Refresh token has expired; log in again' };
  return undefined;
}
