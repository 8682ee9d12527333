import type { Role } from '@retail/database';
import { AppError } from '@retail/common';
import type { Permission } from './permissions.js';

/** Claims carried by an access token (HS256 JWT); `iss`, `aud`, `iat` and `exp` are added when it is signed. */
export interface AccessTokenClaims {
  sub: string;
  companyId: string;
  workspaceIds: string[];
  role: Role;
  permissions: Permission[];
  deviceId?: string;
  /** The login session (refresh token family) the token was issued in. */
  sid?: string;
}

/** Who is calling, as verified from the token. Shared by HTTP requests and sockets. */
export interface Principal {
  userId: string;
  companyId: string;
  workspaceIds: string[];
  role: Role;
  permissions: Permission[];
  deviceId?: string;
  /** Token expiry, epoch seconds; sockets are disconnected when it passes. */
  expiresAt: number;
}

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
