import type { MovementType, TransferStatus } from '@retail/database';
import type { Permission } from './permissions.js';
import { canAccessWorkspace, hasPermission, type Principal } from './principal.js';

// Authority beyond a route's permission (permissions.ts). No rule below tells anything about a
// store the caller may not see: there everything is 404 whoever asks, or refused before anything
// is looked up.

// Catalog: creating and changing products, prices included, needs catalog:manage, which only an
// ADMIN holds (ADMIN_ONLY): a price holds in every store, so a store's MANAGER may not set it.

/**
 * POS: a cart is changed, paid, cancelled and checked out, and a drawer opened or closed, only
 * from its own device's token, or with pos:manage (a store's MANAGER, an ADMIN). Otherwise 403
 * device_forbidden. The cash lands in that device's drawer, so no other till may drive it.
 */
export const mayUseDevice = (principal: Principal, deviceId: string) =>
  principal.deviceId === deviceId || hasPermission(principal, 'pos:manage');

/**
 * Stock movements: OUT takes stock away like a negative ADJUSTMENT, so both need inventory:manage;
 * IN and TRANSFER need inventory:write. Otherwise 403 forbidden.
 */
export const MOVEMENT_PERMISSION: Record<Exclude<MovementType, 'SALE' | 'RETURN'>, Permission> = {
  IN: 'inventory:write',
  TRANSFER: 'inventory:write',
  OUT: 'inventory:manage',
  ADJUSTMENT: 'inventory:manage',
};

/**
 * Transfers: only the source store dispatches (IN_TRANSIT) or cancels; only the destination
 * receives. Membership of that end is the rule, so a member of both stores may do both, and an
 * ADMIN (every store of the company) either. Otherwise 403 wrong_transfer_end.
 */
export const TRANSFER_END: Record<Exclude<TransferStatus, 'PENDING'>, 'source' | 'destination'> = {
  IN_TRANSIT: 'source',
  CANCELLED: 'source',
  RECEIVED: 'destination',
};

export function mayMoveTransfer(
  principal: Principal,
  transfer: { workspaceId: string; toWorkspaceId: string | null },
  status: keyof typeof TRANSFER_END,
): boolean {
  const store = TRANSFER_END[status] === 'source' ? transfer.workspaceId : transfer.toWorkspaceId;
  return store !== null && canAccessWorkspace(principal, store);
}
