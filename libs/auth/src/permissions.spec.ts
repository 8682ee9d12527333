import { describe, expect, it } from 'vitest';
import { permissionsFor } from './permissions.js';

describe('role permissions', () => {
  it('keeps STAFF (warehouse) away from the POS', () => {
    expect(permissionsFor('STAFF').filter((p) => p.startsWith('pos:'))).toEqual([]);
    expect(permissionsFor('STAFF')).toContain('inventory:write');
  });

  it('lets only ADMIN set up stores, broadcast and answer support chats', () => {
    for (const role of ['MANAGER', 'CASHIER', 'STAFF'] as const) {
      expect(permissionsFor(role)).not.toContain('workspaces:manage');
      expect(permissionsFor(role)).not.toContain('notifications:broadcast');
      expect(permissionsFor(role)).not.toContain('chat:support');
    }
    expect(permissionsFor('ADMIN')).toEqual(expect.arrayContaining(['workspaces:manage', 'notifications:broadcast', 'chat:support']));
  });

  it('gives every role the namespaces it needs', () => {
    expect(permissionsFor('CASHIER')).toEqual(expect.arrayContaining(['pos:read', 'pos:sell', 'notifications:read', 'chat:use']));
    expect(permissionsFor('MANAGER')).toEqual(expect.arrayContaining(['pos:manage', 'inventory:manage']));
  });
});
