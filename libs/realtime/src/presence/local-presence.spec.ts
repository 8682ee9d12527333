import { describe, expect, it } from 'vitest';
import { LocalPresence } from './local-presence.js';

const till = (socketId: string) => ({ socketId, deviceId: 'd1', workspaceId: 'w1', companyId: 'c1', appVersion: '1.0' });
const GRACE = 1_000;

describe('LocalPresence', () => {
  it('counts two sockets of one till once, and turns it offline only after its last socket and the grace', () => {
    const presence = new LocalPresence();
    expect(presence.connect(till('s1'), 100)).toMatchObject({ deviceId: 'd1', status: 'online', since: '100', appVersion: '1.0' });
    expect(presence.connect(till('s2'), 200)).toBeUndefined();
    presence.disconnect(till('s1'), 300, GRACE);
    expect(presence.sweep(5_000)).toEqual([]);
    presence.disconnect(till('s2'), 400, GRACE);
    expect(presence.sweep(1_399)).toEqual([]);
    expect(presence.sweep(1_400)).toEqual([expect.objectContaining({ status: 'offline', since: '400', lastSeenAt: '400' })]);
    expect(presence.offlineSince(400)).toEqual([{ deviceId: 'd1', since: new Date(400) }]);
    expect(presence.offlineSince(399)).toEqual([]);
  });

  it('changes nothing for a till back within its grace, and keeps what it reported', () => {
    const presence = new LocalPresence();
    presence.connect(till('s1'), 100);
    presence.report('d1', { pendingSales: '3' });
    presence.disconnect(till('s1'), 200, GRACE);
    expect(presence.connect(till('s2'), 700)).toBeUndefined();
    expect(presence.sweep(10_000)).toEqual([]);
    expect(presence.read(['d1', 'unknown'])).toEqual([
      expect.objectContaining({ status: 'online', since: '100', pendingSales: '3' }),
      undefined,
    ]);
  });
});
