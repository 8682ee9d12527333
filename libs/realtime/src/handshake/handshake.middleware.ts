import type { Socket } from 'socket.io';
import { bearerToken, hasPermission, type AccessResolver, type Permission, type Principal } from '@retail/auth';
import { AppError, describeError, parseWith } from '@retail/common';
import type { MetricsService } from '@retail/observability';
import { HandshakeAuth } from '@retail/realtime-protocol';
import type { SocketSlots } from './socket-slots.js';

/** The error a refused client sees as `connect_error`: message `unauthorized`, `data.code` says why. */
export class HandshakeRefusal extends Error {
  readonly data: { code: string; message: string };
  constructor(code: string, message: string) {
    super('unauthorized');
    this.data = { code, message };
  }
}

/**
 * Resolves a socket's access token with the same AccessResolver as HTTP, then checks the
 * namespace's permission. The handshake and the in-band `auth.refresh` both come here.
 */
export async function authenticateSocket(
  access: AccessResolver,
  token: unknown,
  namespace: string,
  permission: Permission,
): Promise<Principal> {
  const principal = await access.authenticate(typeof token === 'string' ? token : undefined);
  if (!hasPermission(principal, permission)) throw AppError.forbidden(`Missing permission ${permission} for ${namespace}`);
  return principal;
}

/**
 * Namespace middleware (Nest guards don't run on connection): authenticates the token from
 * `auth.token` or an `Authorization: Bearer` header, as above, then takes one of the user's
 * socket slots. The resolved principal, and the positions to resume from, are kept on `socket.data`.
 */
export function handshakeMiddleware(
  deps: { access: AccessResolver; metrics: MetricsService; socketSlots: SocketSlots },
  namespace: string,
  permission: Permission,
) {
  return async (socket: Socket, next: (error?: Error) => void) => {
    try {
      const token = socket.handshake.auth?.token ?? bearerToken(socket.handshake.headers.authorization);
      const principal = await authenticateSocket(deps.access, token, namespace, permission);
      const { resume } = await parseWith(HandshakeAuth, socket.handshake.auth ?? {});
      await deps.socketSlots.acquire(socket, namespace, principal.userId); // last: a refused handshake holds no slot
      socket.data.principal = principal;
      socket.data.resume = resume ?? {};
      next();
    } catch (error) {
      const { code, message } = describeError(error);
      const refusal = code === 'internal_error' ? 'token_invalid' : code;
      deps.metrics.handshakeRefusals.inc({ namespace, code: refusal });
      next(new HandshakeRefusal(refusal, message));
    }
  };
}
