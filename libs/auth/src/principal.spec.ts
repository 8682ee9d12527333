import { describe, expect, it } from 'vitest';
import { permissionsFor } from './permissions.js';
import { accessTokenClaims, canAccessWorkspace, claimsOf, type Principal } from './principal.js';

const user = { id: 'a0000000-0000-4000-8000-000000000001', companyId: 'c0000000-0000-4000-8000-000000000001', accessVersion: 3 };
const device = 'd0000000-0000-4000-8000-000000000001';
const session = 'e0000000-0000-4000-8000-000000000001';

describe('access token claims', () => {
  it('name the user, the company, the access version, the session and its device: nothing that grows with the chain', () => {
    expect(accessTokenClaims(user, { id: session })).toEqual({ sub: user.id, companyId: user.companyId, ver: 3, sid: session });
    expect(accessTokenClaims(user, { id: session, deviceId: null })).toEqual({
      sub: user.id,
      companyId: user.companyId,
      ver: 3,
      sid: session,
    });
    expect(accessTokenClaims(user, { id: session, deviceId: device })).toEqual({
      sub: user.id,
      companyId: user.companyId,
      ver: 3,
      deviceId: device,
      sid: session,
    });
  });

  it('are what a resolved principal is resolved again from', () => {
    const principal: Principal = {
      userId: user.id,
      companyId: user.companyId,
      workspaceIds: [],
      role: 'ADMIN',
      permissions: permissionsFor('ADMIN'),
      deviceId: device,
      sessionId: session,
      accessVersion: 3,
      expiresAt: 0,
    };
    expect(claimsOf(principal)).toEqual(accessTokenClaims(user, { id: session, deviceId: device }));
    // An ADMIN lists no stores and still reaches every store of its company (queries filter by company).
    expect(canAccessWorkspace(principal, 'any-store-of-the-company')).toBe(true);
    expect(canAccessWorkspace({ ...principal, role: 'MANAGER', workspaceIds: ['s1'] }, 's2')).toBe(false);
  });
});
