import { describe, expect, it } from 'vitest';
import type { TillPresenceRecord } from '@retail/realtime';
import { toPresenceView } from './store-presence.service.js';

const now = new Date('2026-12-07T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const record = (extra: Partial<TillPresenceRecord> = {}): TillPresenceRecord => ({
  deviceId: 'd',
  workspaceId: 'w',
  status: 'online',
  since: minutesAgo(30),
  lastSeenAt: minutesAgo(5),
  appVersion: '1.0.0',
  pendingSales: 2,
  oldestPendingAt: null,
  catalogVersion: 7,
  ...extra,
});

describe('toPresenceView', () => {
  it('shows a till never seen as offline since nobody knows', () => {
    expect(toPresenceView(undefined, new Map(), now)).toMatchObject({
      status: 'offline',
      since: null,
      lastSeenAt: null,
      catalogStale: false,
    });
  });

  it('shows an online till as seen now, and an offline one as last seen', () => {
    expect(toPresenceView(record(), new Map(), now).lastSeenAt).toBe(now.toISOString());
    expect(toPresenceView(record({ status: 'offline' }), new Map(), now).lastSeenAt).toBe(minutesAgo(5).toISOString());
  });

  it('marks a catalog stale once it has lagged for more than 10 minutes', () => {
    expect(toPresenceView(record(), new Map([[7, minutesAgo(11)]]), now).catalogStale).toBe(true);
    expect(toPresenceView(record(), new Map([[7, minutesAgo(9)]]), now).catalogStale).toBe(false);
    expect(toPresenceView(record(), new Map(), now).catalogStale).toBe(false); // up to date
  });
});
