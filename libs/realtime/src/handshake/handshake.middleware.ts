import type { Socket } from 'socket.io';
import { bearerToken, hasPermission, type AccessResolver, type Permission, type Principal, type RateBudgets } from '@retail/auth';
import { AppError, describeError, parseWith } from '@retail/common';
import type { MetricsService } from '@retail/observability';
import { HandshakeAuth, NAMESPACES, type NamespaceKey } from '@retail/realtime-protocol';
import type { SocketData } from './socket-context.js';
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
 * `auth.token` or an `Authorization: Bearer` header, as above, counts the handshake against the
 * user's and the company's REST budgets (`rate_limited`), then takes one of the user's socket
 * slots. The resolved principal, and the positions to resume from, are kept on `socket.data`.
 */
export function handshakeMiddleware(
  deps: {
    access: AccessResolver;
    budgets: RateBudgets;
    metrics: MetricsService;
    revalidation: { mark(): number };
    socketSlots: SocketSlots;
  },
  namespace: NamespaceKey,
) {
  const { path, permission } = NAMESPACES[namespace];
  return async (socket: Socket, next: (error?: Error) => void) => {
    try {
      // Before resolving: a change heard from here on may be missing from what the resolution reads.
      const accessMark = deps.revalidation.mark();
      const token = socket.handshake.auth?.token ?? bearerToken(socket.handshake.headers.authorization);
      const principal = await authenticateSocket(deps.access, token, path, permission);
      const verifiedAt = Date.now();
      await deps.budgets.take(principal);
      const { resume, appVersion } = await parseWith(HandshakeAuth, socket.handshake.auth ?? {});
      await deps.socketSlots.acquire(socket, path, principal.userId); // last: a refused handshake holds no slot
      const data: SocketData = { namespace, principal, verifiedAt, accessMark, resume: resume ?? {}, appVersion };
      Object.assign(socket.data, data);
      next();
    } catch (error) {
      const { code, message } = describeError(error);
      const refusal = code === 'internal_error' ? 'token_invalid' : code;
      deps.metrics.handshakeRefusals.inc({ namespace: path, code: refusal });
      next(new HandshakeRefusal(refusal, message));
    }
  };
}
