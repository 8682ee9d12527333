import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { PrismaService } from '@retail/database';
import { TillPresence, type TillPresenceRecord } from '@retail/realtime';
import { DEVICE_SELECT, isStoreOpen, WorkspacesService } from './workspaces.service.js';

/** A till whose catalog lagged the company's this long shows catalogStale. */
export const CATALOG_STALE_AFTER_MS = 10 * 60_000;

/** What GET /workspaces/:id/devices says of a till's presence; a till never seen is offline since nobody knows. */
export interface DevicePresenceView {
  status: 'online' | 'offline';
  since: string | null;
  lastSeenAt: string | null;
  appVersion: string | null;
  pendingSales: number | null;
  oldestPendingAt: string | null;
  catalogVersion: number | null;
  catalogStale: boolean;
}

/**
 * Stores' tills as they are now: each device's presence (read from the realtime layer's
 * TillPresence) and one roll-up row per store.
 */
@Injectable()
export class StorePresenceService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
    private readonly presence: TillPresence,
  ) {}

  /** A store's devices, each with its presence. */
  async devices(user: Principal, workspaceId: string) {
    const devices = await this.workspaces.devices(user, workspaceId);
    const now = new Date();
    const records = await this.presence.read(devices.map((d) => d.id));
    const laggingSince = await this.catalogLagStarts(user.companyId, [...records.values()]);
    return devices.map((device) => ({ ...device, presence: toPresenceView(records.get(device.id), laggingSince, now) }));
  }

  /** One row per store the caller may see (every store of the company for ADMIN): its tills online and offline. */
  async summary(user: Principal) {
    const stores = await this.workspaces.list(user);
    const devices = await this.prisma.posDevice.findMany({
      where: { workspaceId: { in: stores.map((s) => s.id) }, retired: false },
      select: DEVICE_SELECT,
    });
    const records = await this.presence.read(devices.map((d) => d.id));
    const now = new Date();
    return stores.map((store) => {
      const tills = devices.filter((d) => d.workspaceId === store.id).map((d) => records.get(d.id));
      const online = tills.filter((r) => r?.status === 'online').length;
      return {
        workspaceId: store.id,
        open: isStoreOpen(store, now),
        devices: tills.length,
        online,
        offline: tills.length - online,
        pendingSales: tills.reduce((sum, r) => sum + (r?.pendingSales ?? 0), 0),
      };
    });
  }

  /**
   * For each catalog version tills reported that is behind the company's: since when it is behind,
   * the earliest change after it that is still on record (a product changed twice keeps its later
   * time, so a lag may show a little late, never early).
   */
  private async catalogLagStarts(companyId: string, records: TillPresenceRecord[]): Promise<Map<number, Date>> {
    const versions = [...new Set(records.flatMap((r) => (r.catalogVersion === null ? [] : [r.catalogVersion])))];
    if (!versions.length) return new Map();
    const rows = await this.prisma.$queryRaw<Array<{ version: bigint; since: Date | null }>>`
      SELECT v AS version, (SELECT min(p."updatedAt") FROM "Product" p WHERE p."companyId" = ${companyId}::uuid AND p."catalogVersion" > v) AS since
      FROM unnest(${versions}::bigint[]) AS v`;
    return new Map(rows.flatMap((row) => (row.since ? [[Number(row.version), row.since]] : [])));
  }
}

/** A till's presence as the API shows it, at `now`; `laggingSince`: since when each reported catalog version is behind. */
export function toPresenceView(record: TillPresenceRecord | undefined, laggingSince: Map<number, Date>, now: Date): DevicePresenceView {
  const lagStart = record?.catalogVersion === null || !record ? undefined : laggingSince.get(record.catalogVersion);
  return {
    status: record?.status ?? 'offline',
    since: record?.since?.toISOString() ?? null,
    // Connected now: seen now.
    lastSeenAt: record?.status === 'online' ? now.toISOString() : (record?.lastSeenAt?.toISOString() ?? null),
    appVersion: record?.appVersion ?? null,
    pendingSales: record?.pendingSales ?? null,
    oldestPendingAt: record?.oldestPendingAt ?? null,
    catalogVersion: record?.catalogVersion ?? null,
    catalogStale: lagStart !== undefined && now.getTime() - lagStart.getTime() > CATALOG_STALE_AFTER_MS,
  };
}
