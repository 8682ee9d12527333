import type { Role } from '@retail/database';
import { AppError } from '@retail/common';
import type { Permission } from './permissions.js';

/**
 * Claims carried by an access token (HS256 JWT): who, not what. Role, permissions and stores are
 * resolved from the database on every request (AccessResolver), so the token stays small whatever
 * the chain's size and a change of access takes effect at once.
 */
export interface AccessTokenClaims {
  sub: string;
  companyId: string;
  /** The user's access version when the token was issued; a bump revokes the token. */
  ver: number;
  deviceId?: string;
  /**
   * The login session the token was issued in (LoginSession.id, its refresh tokens' family). Every
   * token has one: a token without it is invalid, and one of an ended or expired session revoked.
   */
  sid: string;
}

/** The claims of a user's token in one of their sessions, bound to the session's POS device if it has one. */
export const accessTokenClaims = (
  user: { id: string; companyId: string; accessVersion: number },
  session: { id: string; deviceId?: string | null },
): AccessTokenClaims => ({
  sub: user.id,
  companyId: user.companyId,
  ver: user.accessVersion,
  ...(session.deviceId ? { deviceId: session.deviceId } : {}),
  sid: session.id,
});

/** Who is calling: the token's identity, with role, permissions and stores read from the database. */
export interface Principal {
  userId: string;
  companyId: string;
  /** The stores the user is a member of. Empty for ADMIN, whose scope is the whole company. */
  workspaceIds: string[];
  role: Role;
  permissions: Permission[];
  deviceId?: string;
  /** The store of the token's device, as access was resolved: where a till's sales and carts belong. */
  deviceWorkspaceId?: string;
  /** The login session the token was issued in (its `sid`): logout and the like end it. */
  sessionId: string;
  /** The token's `ver`, checked again whenever access changes. */
  accessVersion: number;
  /** Token expiry, epoch seconds; sockets are disconnected when it passes. */
  expiresAt: number;
}

/** The claims a principal was resolved from, to resolve it again. */
export const claimsOf = (principal: Principal): AccessTokenClaims =>
  accessTokenClaims(
    { id: principal.userId, companyId: principal.companyId, accessVersion: principal.accessVersion },
    { id: principal.sessionId, deviceId: principal.deviceId },
  );

export const hasPermission = (principal: Principal, permission: Permission) => principal.permissions.includes(permission);

/** ADMIN sees every store of its company; everyone else only their own stores. */
export const canAccessWorkspace = (principal: Principal, workspaceId: string) =>
  principal.role === 'ADMIN' || principal.workspaceIds.includes(workspaceId);

/**
 * A row already filtered to the caller's company, checked against the caller's stores: one the
 * caller may not see is simply not found, like one that does not exist.
 */
export function visibleInWorkspace<T extends { workspaceId: string }>(principal: Principal, row: T | null, what: string): T {
  if (!row || !canAccessWorkspace(principal, row.workspaceId)) throw AppError.notFound(what);
  return row;
}
