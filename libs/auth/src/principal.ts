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
  /** The login session (refresh token family) the token was issued in. */
  sid?: string;
}

/** The claims of a user's token, optionally bound to a POS device. */
export const accessTokenClaims = (
  user: { id: string; companyId: string; accessVersion: number },
  deviceId?: string,
): AccessTokenClaims => ({
  sub: user.id,
  companyId: user.companyId,
  ver: user.accessVersion,
  ...(deviceId ? { deviceId } : {}),
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
  /** The login session the token was issued in (its `sid`). */
  sessionId?: string;
  /** The token's `ver`, checked again whenever access changes. */
  accessVersion: number;
  /** Token expiry, epoch seconds; sockets are disconnected when it passes. */
  expiresAt: number;
}

/** The claims a principal was resolved from, to resolve it again. */
export const claimsOf = (principal: Principal): AccessTokenClaims => ({
  ...accessTokenClaims(
    { id: principal.userId, companyId: principal.companyId, accessVersion: principal.accessVersion },
    principal.deviceId,
  ),
  ...(principal.sessionId ? { sid: principal.sessionId } : {}),
});

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
