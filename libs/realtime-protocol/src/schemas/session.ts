import { z } from 'zod';

/**
 * Why the server ended a session. `token_expired` and `token_revoked` ask for a fresh token (a
 * refresh, or a new login); `slow_consumer` and `server_shutdown` just reconnect and resume;
 * `access_unverifiable`: the server could not check the socket's access again (its database was
 * unreachable), so it did not keep it open on trust: reconnect, with backoff, and resume.
 */
export const SessionEndedCode = z.enum(['token_expired', 'token_revoked', 'slow_consumer', 'server_shutdown', 'access_unverifiable']);
export type SessionEndedCode = z.infer<typeof SessionEndedCode>;

/** `session.ended`: sent just before the server disconnects the socket, because a disconnect carries no reason. */
export const SessionEndedPayload = z.object({ code: SessionEndedCode, message: z.string() }).meta({ id: 'SessionEndedPayload' });
export type SessionEndedPayload = z.infer<typeof SessionEndedPayload>;

/**
 * `auth.refresh {token}`: extends the session in band with a fresh access token of the same user
 * (and device), before the current one expires; acked `{expiresAt}` (epoch seconds).
 */
export const AuthRefreshCommand = z.object({ token: z.string().min(1).max(8192) }).meta({ id: 'AuthRefreshCommand' });
export type AuthRefreshCommand = z.infer<typeof AuthRefreshCommand>;
