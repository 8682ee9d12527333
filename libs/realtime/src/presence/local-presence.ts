import type { TillSocket } from './till-presence.js';

/** A till's record, as the Redis scripts keep it in its hash: every field a string. */
export type PresenceFields = Record<string, string>;

/**
 * Till presence in this process's memory, for a single node without Redis: the process is the
 * whole cluster, so no other replica can die apart from it and nothing needs sharing. It keeps the
 * same records and makes the same changes as the Redis scripts (presence-scripts.ts): a socket's
 * connect and disconnect, and a sweep that ends the grace of tills that did not come back.
 */
export class LocalPresence {
  private readonly devices = new Map<string, PresenceFields>();
  private readonly sockets = new Map<string, Set<string>>();
  /** deviceId -> when its grace ends. */
  private readonly pending = new Map<string, number>();

  /** The till's record when it came online; undefined when it was online already (or in grace). */
  connect(socket: TillSocket, now: number): PresenceFields | undefined {
    const sockets = this.sockets.get(socket.deviceId) ?? this.sockets.set(socket.deviceId, new Set()).get(socket.deviceId)!;
    sockets.add(socket.socketId);
    this.pending.delete(socket.deviceId);
    const device = this.devices.get(socket.deviceId) ?? this.devices.set(socket.deviceId, {}).get(socket.deviceId)!;
    const was = device.status;
    Object.assign(device, {
      deviceId: socket.deviceId,
      workspaceId: socket.workspaceId,
      companyId: socket.companyId,
      lastSeenAt: String(now),
    });
    if (socket.appVersion) device.appVersion = socket.appVersion;
    delete device.lostAt;
    if (was === 'online') return undefined;
    Object.assign(device, { status: 'online', since: String(now) });
    return { ...device };
  }

  /** Its last socket gone, the till enters its grace. */
  disconnect(socket: TillSocket, now: number, graceMs: number): void {
    const sockets = this.sockets.get(socket.deviceId);
    sockets?.delete(socket.socketId);
    const device = this.devices.get(socket.deviceId);
    if (device?.status !== 'online') return;
    device.lastSeenAt = String(now);
    if (sockets?.size) return;
    device.lostAt = String(now);
    this.pending.set(socket.deviceId, now + graceMs);
  }

  report(deviceId: string, fields: PresenceFields): void {
    const device = this.devices.get(deviceId);
    if (device) Object.assign(device, fields);
  }

  read(deviceIds: string[]): Array<PresenceFields | undefined> {
    return deviceIds.map((id) => this.devices.get(id));
  }

  offlineSince(before: number): Array<{ deviceId: string; since: Date }> {
    return [...this.devices.values()].flatMap((device) =>
      device.status === 'offline' && Number(device.since) <= before
        ? [{ deviceId: device.deviceId, since: new Date(Number(device.since)) }]
        : [],
    );
  }

  /** The records of the tills whose grace ended with no socket: now offline, since they were lost. */
  sweep(now: number): PresenceFields[] {
    const changed: PresenceFields[] = [];
    for (const [deviceId, graceEnds] of this.pending) {
      if (graceEnds > now) continue;
      this.pending.delete(deviceId);
      const device = this.devices.get(deviceId);
      if (!device?.lostAt || this.sockets.get(deviceId)?.size) continue;
      Object.assign(device, { status: 'offline', since: device.lostAt });
      delete device.lostAt;
      changed.push({ ...device });
    }
    return changed;
  }
}
