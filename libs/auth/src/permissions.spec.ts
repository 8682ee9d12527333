import { describe, expect, it } from 'vitest';
import { mayMoveTransfer, mayUseDevice, MOVEMENT_PERMISSION } from './authority.js';
import { permissionsFor } from './permissions.js';
import type { Principal } from './principal.js';

const principal = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({
  userId: 'u',
  companyId: 'c',
  workspaceIds: [],
  role,
  permissions: permissionsFor(role),
  sessionId: 's',
  accessVersion: 1,
  expiresAt: 0,
  ...extra,
});

describe('role permissions', () => {
  it('keeps STAFF (warehouse) away from the POS', () => {
    expect(permissionsFor('STAFF').filter((p) => p.startsWith('pos:'))).toEqual([]);
    expect(permissionsFor('STAFF')).toContain('inventory:write');
  });

  it('lets only ADMIN set up stores and devices, manage users, change the catalog, broadcast and answer support chats', () => {
    const adminOnly = [
      'workspaces:manage',
      'devices:manage',
      'users:manage',
      'catalog:manage',
      'notifications:broadcast',
      'chat:support',
    ] as const;
    for (const role of ['MANAGER', 'CASHIER', 'STAFF'] as const) {
      for (const permission of adminOnly) expect(permissionsFor(role)).not.toContain(permission);
    }
    expect(permissionsFor('ADMIN')).toEqual(expect.arrayContaining([...adminOnly]));
  });

  it('gives every role the namespaces it needs', () => {
    expect(permissionsFor('CASHIER')).toEqual(expect.arrayContaining(['pos:read', 'pos:sell', 'notifications:read', 'chat:use']));
    expect(permissionsFor('MANAGER')).toEqual(expect.arrayContaining(['pos:manage', 'inventory:manage']));
  });
});

describe('authority rules', () => {
  it("lets a device's own token, or pos:manage, drive its carts", () => {
    expect(mayUseDevice(principal('CASHIER', { deviceId: 'till-1' }), 'till-1')).toBe(true);
    expect(mayUseDevice(principal('CASHIER', { deviceId: 'till-2' }), 'till-1')).toBe(false);
    expect(mayUseDevice(principal('CASHIER'), 'till-1')).toBe(false);
    expect(mayUseDevice(principal('MANAGER'), 'till-1')).toBe(true);
  });

  it('asks the same permission for OUT as for an adjustment', () => {
    expect(MOVEMENT_PERMISSION.OUT).toBe(MOVEMENT_PERMISSION.ADJUSTMENT);
    expect(permissionsFor('STAFF')).not.toContain(MOVEMENT_PERMISSION.OUT);
    expect(permissionsFor('STAFF')).toContain(MOVEMENT_PERMISSION.IN);
  });

  it('lets the source dispatch and cancel a transfer and the destination receive it', () => {
    const transfer = { workspaceId: 'from', toWorkspaceId: 'to' };
    const [source, destination, both] = [['from'], ['to'], ['from', 'to']].map((workspaceIds) => principal('STAFF', { workspaceIds }));
    expect(['IN_TRANSIT', 'CANCELLED', 'RECEIVED'].map((s) => mayMoveTransfer(source, transfer, s as never))).toEqual([true, true, false]);
    expect(['IN_TRANSIT', 'CANCELLED', 'RECEIVED'].map((s) => mayMoveTransfer(destination, transfer, s as never))).toEqual([
      false,
      false,
      true,
    ]);
    for (const status of ['IN_TRANSIT', 'CANCELLED', 'RECEIVED'] as const) {
      expect(mayMoveTransfer(both, transfer, status)).toBe(true);
      expect(mayMoveTransfer(principal('ADMIN'), transfer, status)).toBe(true);
    }
  });
});
