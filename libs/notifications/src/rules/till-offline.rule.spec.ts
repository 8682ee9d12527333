import { describe, expect, it } from 'vitest';
import { tillOfflineAlerts, type WatchedStore } from './till-offline.rule.js';

const now = new Date('2026-12-07T12:00:00Z'); // a Monday
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const store = (tills: WatchedStore['tills'], extra: Partial<WatchedStore> = {}): WatchedStore => ({
  id: 'w',
  companyId: 'c',
  name: 'Centro',
  timeZone: 'UTC',
  openingHours: null,
  offlineAlertAfterSeconds: 60,
  archivedAt: null,
  tills,
  ...extra,
});
const online = (id: string) => ({ id, name: id, offlineSince: null });
const offline = (id: string, seconds: number) => ({ id, name: id, offlineSince: ago(seconds) });

describe('tillOfflineAlerts', () => {
  it('warns for each till offline longer than the delay, keyed by the till', () => {
    const alerts = tillOfflineAlerts(store([offline('a', 61), offline('b', 30), online('c'), online('d')]), now);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'WARNING', kind: 'TILL_OFFLINE', dedupKey: 'till_offline:a', data: { deviceId: 'a' } });
  });

  it('raises one STORE_OFFLINE alert when most tills dropped within 30 s', () => {
    const alerts = tillOfflineAlerts(store([offline('a', 90), offline('b', 80), offline('c', 70), offline('d', 65), online('e')]), now);
    expect(alerts).toEqual([expect.objectContaining({ level: 'ALERT', kind: 'STORE_OFFLINE', dedupKey: 'store_offline:w' })]);
  });

  it('warns per till when the drops were spread out', () => {
    const alerts = tillOfflineAlerts(store([offline('a', 300), offline('b', 200), offline('c', 100)]), now);
    expect(alerts.map((a) => a.dedupKey)).toEqual(['till_offline:a', 'till_offline:b', 'till_offline:c']);
  });

  it('says nothing while the store is closed, was closed a delay ago, or is archived', () => {
    const tills = [offline('a', 600), online('b'), online('c')];
    expect(tillOfflineAlerts(store(tills, { openingHours: {} }), now)).toEqual([]);
    // Opened at 12:00: the till has not been offline for a minute of opening hours yet.
    expect(tillOfflineAlerts(store(tills, { openingHours: { mon: [{ open: '12:00', close: '20:00' }] } }), now)).toEqual([]);
    expect(tillOfflineAlerts(store(tills, { archivedAt: ago(10) }), now)).toEqual([]);
  });
});
