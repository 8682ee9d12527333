import { describe, expect, it } from 'vitest';
import { permissionsFor, type Principal } from '@retail/auth';
import { mayUseRoom, otherMembers, roomsVisibleTo } from './chat-membership.js';

const principal = (role: Principal['role'], userId = 'u1'): Principal => ({
  userId,
  companyId: 'c1',
  workspaceIds: [],
  role,
  permissions: permissionsFor(role),
  sessionId: 's1',
  accessVersion: 1,
  expiresAt: 0,
});

describe('chat room access', () => {
  it('lets admins see every SUPPORT room of their company, others only their own rooms', () => {
    expect(roomsVisibleTo(principal('ADMIN'))).toEqual({
      companyId: 'c1',
      OR: [{ members: { some: { userId: 'u1' } } }, { type: 'SUPPORT' }],
    });
    expect(roomsVisibleTo(principal('MANAGER'))).toEqual({ companyId: 'c1', OR: [{ members: { some: { userId: 'u1' } } }] });
  });

  it.each([
    ['ADMIN', 'SUPPORT', false, true],
    ['ADMIN', 'EMPLOYEE', false, false],
    ['CASHIER', 'SUPPORT', false, false],
    ['CASHIER', 'DIRECT', true, true],
  ] as const)('%s in a %s room (member: %s) may use it: %s', (role, type, isMember, allowed) => {
    expect(mayUseRoom(principal(role), { type, isMember })).toBe(allowed);
  });

  it('adds the creator implicitly and checks the member count per type', () => {
    expect(otherMembers('u1', 'EMPLOYEE', ['u2', 'u1', 'u2', 'u3'])).toEqual(['u2', 'u3']);
    expect(otherMembers('u1', 'SUPPORT', [])).toEqual([]);
    expect(otherMembers('u1', 'DIRECT', ['u2'])).toEqual(['u2']);
    for (const [type, ids] of [
      ['DIRECT', []],
      ['DIRECT', ['u2', 'u3']],
      ['DIRECT', ['u1']],
      ['EMPLOYEE', ['u1']],
    ] as const) {
      expect(() => otherMembers('u1', type, [...ids])).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
  });
});
