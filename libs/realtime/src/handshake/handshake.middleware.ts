import type { Socket } from 'socket.io';
import { bearerToken, hasPermission, type Permission, type Principal, type TokenService } from '@retail/auth';
import { AppError, describeError, parseWith } from '@retail/common';
import type { MetricsService } from '@retail/observability';
import { HandshakeAuth } from '@retail/realtime-protocol';

/** The error a refused client sees as `connect_error`: message `unauthorized`, `data.code` says why. */
export class HandshakeRefusal extends Error {
  readonly data: { code: string; message: string };
  constructor(code: string, message: string) {
    super('unauthorized');
    this.data = { code, message };
  }
}

/**
 * Verifies a socket's access token with the same code as HTTP, then the namespace's permission.
 * The handshake and the in-band `auth.refresh` both come here.
 */
export async function authenticateSocket(
  tokens: TokenService,
  token: unknown,
  namespace: string,
  permission: Permission,
): Promise<Principal> {
  const principal = await tokens.verify(typeof token === 'string' ? token : undefined);
  if (!hasPermission(principal, permission)) throw AppError.forbidden(`Missing permission ${permission} for ${namespace}`);
  return principal;
}

/**
 * Namespace middleware (Nest guards don't run on connection): verifies the token from
 * `auth.token` or an `Authorization: Bearer` header with the same code as HTTP, then the
 * namespace's permission. The verified principal, and the positions to resume from, are kept on
 * `socket.data`.
 */
export function handshakeMiddleware(deps: { tokens: TokenService; metrics: MetricsService }, namespace: string, permission: Permission) {
  return async (socket: Socket, next: (error?: Error) => void) => {
    try {
      const token = socket.handshake.auth?.token ?? bearerToken(socket.handshake.headers.authorization);
      const principal = await authenticateSocket(deps.tokens, token, namespace, permission);
      const { resume } = await parseWith(HandshakeAuth, socket.handshake.auth ?? {});
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
