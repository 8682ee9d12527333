import type { Socket } from 'socket.io';
import { bearerToken, hasPermission, type AccessResolver, type Permission } from '@retail/auth';
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
 * Namespace middleware (Nest guards don't run on connection): verifies and resolves the token
 * from `auth.token` or an `Authorization: Bearer` header with the same AccessResolver as HTTP,
 * then checks the namespace's permission. The resolved principal, and the positions to resume
 * from, are kept on `socket.data`.
 */
export function handshakeMiddleware(deps: { access: AccessResolver; metrics: MetricsService }, namespace: string, permission: Permission) {
  return async (socket: Socket, next: (error?: Error) => void) => {
    try {
      const token = socket.handshake.auth?.token ?? bearerToken(socket.handshake.headers.authorization);
      const principal = await deps.access.authenticate(typeof token === 'string' ? token : undefined);
      if (!hasPermission(principal, permission)) throw AppError.forbidden(`Missing permission ${permission} for ${namespace}`);
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
