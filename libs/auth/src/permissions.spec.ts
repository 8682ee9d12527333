import { describe, expect, it } from 'vitest';
import { permissionsFor } from './permissions.js';

describe('role permissions', () => {
  it('keeps STAFF (warehouse) away from the POS', () => {
    expect(permissionsFor('STAFF').filter((p) => p.startsWith('pos:'))).toEqual([]);
    expect(permissionsFor('STAFF')).toContain('inventory:write');
  });

  it('lets only ADMIN set up stores and devices, manage users, broadcast and answer support chats', () => {
    const adminOnly = ['workspaces:manage', 'devices:manage', 'users:manage', 'notifications:broadcast', 'chat:support'] as const;
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
