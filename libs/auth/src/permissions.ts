import type { Role } from '@retail/database';

/** Every permission the product checks. HTTP guards and socket namespaces use the same names. */
export const PERMISSIONS = [
  'workspaces:read',
  'workspaces:manage',
  'devices:manage',
  'users:manage',
  'pos:read',
  'pos:sell',
  /** Act on another device's carts and drawers, in one's own stores. */
  'pos:manage',
  'inventory:read',
  /** Receive goods (IN), send and move transfers, count. */
  'inventory:write',
  /** Take stock away or set it by hand (OUT, ADJUSTMENT, closing a count), set low-stock thresholds. */
  'inventory:manage',
  /** Create products and change them, prices included: they hold in every store of the chain. */
  'catalog:manage',
  'notifications:read',
  /** Acknowledge and resolve alerts of one's own stores (ADMIN: of the company). */
  'notifications:manage',
  'notifications:broadcast',
  'chat:use',
  'chat:support',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * What only a company's ADMIN may do: set up stores and their POS devices, manage users and
 * their access, keep the chain-wide catalog, broadcast alerts and answer support chats.
 */
const ADMIN_ONLY: readonly Permission[] = [
  'workspaces:manage',
  'devices:manage',
  'users:manage',
  'catalog:manage',
  'notifications:broadcast',
  'chat:support',
];

/** The one role-to-permission map. STAFF is warehouse staff: no POS access at all. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: PERMISSIONS,
  MANAGER: PERMISSIONS.filter((p) => !ADMIN_ONLY.includes(p)),
  CASHIER: ['workspaces:read', 'pos:read', 'pos:sell', 'inventory:read', 'notifications:read', 'chat:use'],
  STAFF: ['workspaces:read', 'inventory:read', 'inventory:write', 'notifications:read', 'chat:use'],
};

export const permissionsFor = (role: Role): Permission[] => [...ROLE_PERMISSIONS[role]];
