import { describe, expect, it } from 'vitest';
import type { AccessTokenClaims } from '../principal.js';
import { sessionRefusal, type SessionAccess } from './session-access.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const claims: AccessTokenClaims = { sub: 'u1', companyId: 'c1', ver: 1, sid: 's1' };
const live: SessionAccess = { userId: 'u1', deviceId: null, expiresAt: NOW + 60_000, ended: false };

describe('sessionRefusal', () => {
  it('passes a live session of the same user and device', () => {
    expect(sessionRefusal(live, claims, NOW)).toBeUndefined();
    expect(sessionRefusal({ ...live, deviceId: 'd1' }, { ...claims, deviceId: 'd1' }, NOW)).toBeUndefined();
  });

  it('refuses an ended session, and one at or past its maximum age', () => {
    expect(sessionRefusal({ ...live, ended: true }, claims, NOW)).toMatch(/ended/);
    expect(sessionRefusal({ ...live, expiresAt: NOW }, claims, NOW)).toMatch(/maximum age/);
    expect(sessionRefusal({ ...live, expiresAt: NOW - 1 }, claims, NOW)).toMatch(/maximum age/);
  });

  it("refuses a missing session, another user's, or one of another device (or of none)", () => {
    expect(sessionRefusal(undefined, claims, NOW)).toMatch(/no session/);
    expect(sessionRefusal({ ...live, userId: 'u2' }, claims, NOW)).toMatch(/no session/);
    expect(sessionRefusal({ ...live, deviceId: 'd1' }, claims, NOW)).toMatch(/no session/);
    expect(sessionRefusal(live, { ...claims, deviceId: 'd1' }, NOW)).toMatch(/no session/);
    expect(sessionRefusal({ ...live, deviceId: 'd2' }, { ...claims, deviceId: 'd1' }, NOW)).toMatch(/no session/);
  });
});
