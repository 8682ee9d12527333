import type { OpeningHours } from '@retail/workspaces';
import { isOpenAt } from '@retail/workspaces';
import { ALERT_CONDITIONS } from '../alerts/alert-conditions.js';
import type { PublishNotificationInput } from '../services/notifications.service.js';

/** Tills of one store that went offline within this long of each other dropped together... */
export const STORE_DROP_WINDOW_MS = 30_000;
/** ...and when at least this share of the store's tills did, the store's line is down: one alert for the store. */
export const STORE_DROP_SHARE = 0.8;

export interface WatchedStore {
  id: string;
  companyId: string;
  name: string;
  timeZone: string;
  openingHours: OpeningHours | null;
  offlineAlertAfterSeconds: number;
  archivedAt: Date | null;
  /** Its tills in service (not retired), with since when each is offline (none: online, or never seen). */
  tills: Array<{ id: string; name: string; offlineSince: Date | null }>;
}

/**
 * The offline alerts one store calls for at `now`. Only while it is open (now, and as long ago as
 * its delay: a till offline overnight does not alert the minute the store opens) and not archived.
 * A till offline for the store's offlineAlertAfterSeconds gets a warning; when most of the store's
 * tills (STORE_DROP_SHARE, two tills at least) dropped within STORE_DROP_WINDOW_MS, the store gets
 * one alert instead.
 */
export function tillOfflineAlerts(store: WatchedStore, now: Date): PublishNotificationInput[] {
  const delayMs = store.offlineAlertAfterSeconds * 1000;
  const openThroughout =
    isOpenAt(store.openingHours, store.timeZone, now) && isOpenAt(store.openingHours, store.timeZone, new Date(now.getTime() - delayMs));
  if (store.archivedAt || !openThroughout) return [];
  const overdue = store.tills.filter((t) => t.offlineSince && now.getTime() - t.offlineSince.getTime() >= delayMs);
  if (!overdue.length) return [];
  const scope = { type: 'workspace' as const, workspaceId: store.id };
  const { dropped, since } = droppedTogether(store.tills.flatMap((t) => (t.offlineSince ? [t.offlineSince.getTime()] : [])));
  if (store.tills.length >= 2 && dropped >= STORE_DROP_SHARE * store.tills.length) {
    return [
      {
        companyId: store.companyId,
        level: 'ALERT',
        kind: 'STORE_OFFLINE',
        scope,
        title: 'Store offline',
        message: `${dropped} of the ${store.tills.length} tills of ${store.name} went offline at once while it is open: its line may be down.`,
        data: { workspaceId: store.id, offline: dropped, tills: store.tills.length, offlineSince: new Date(since).toISOString() },
        dedupKey: ALERT_CONDITIONS.storeOffline(store.id),
      },
    ];
  }
  return overdue.map((till) => ({
    companyId: store.companyId,
    level: 'WARNING',
    kind: 'TILL_OFFLINE',
    scope,
    title: 'Till offline',
    message: `Till ${till.name} of ${store.name} has been offline since ${till.offlineSince!.toISOString()} while the store is open.`,
    data: { workspaceId: store.id, deviceId: till.id, offlineSince: till.offlineSince!.toISOString() },
    dedupKey: ALERT_CONDITIONS.tillOffline(till.id),
  }));
}

/** The most drops within any one STORE_DROP_WINDOW_MS, and when the first of them was. */
function droppedTogether(times: number[]): { dropped: number; since: number } {
  const sorted = [...times].sort((x, y) => x - y);
  let most = { dropped: 0, since: 0 };
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] > STORE_DROP_WINDOW_MS) first++;
    if (last - first + 1 > most.dropped) most = { dropped: last - first + 1, since: sorted[first] };
  }
  return most;
}
