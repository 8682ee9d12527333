import { Injectable } from '@nestjs/common';
import { canAccessWorkspace, type Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';
import { parseRoom, Rooms, type NamespaceKey } from '@retail/realtime-protocol';

/** Who may be in which room. The tenant boundary of the whole realtime layer. */
@Injectable()
export class RoomAccessService {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Rooms a socket joins on connect. An ADMIN's scope is the company: it joins the company room,
   * not a thousand store rooms, and subscribes to the stores it watches. Every `/pos` socket joins
   * its company's catalog room, where price and product changes go, one event for all stores.
   */
  defaultRooms(principal: Principal, namespace: NamespaceKey): string[] {
    return [
      ...(companyRoomOpen(principal, namespace) ? [Rooms.company(principal.companyId)] : []),
      ...(principal.role === 'ADMIN' ? [] : principal.workspaceIds.map(Rooms.workspace)),
      ...(principal.deviceId ? [Rooms.pos(principal.deviceId)] : []),
      ...(namespace === 'pos' ? [Rooms.catalog(principal.companyId)] : []),
      Rooms.user(principal.userId),
    ];
  }

  /** A fresh pass of checks: what it reads from the database is read once, in bulk, and kept for the pass only. */
  checks(): RoomChecks {
    return new RoomChecks(this.prisma);
  }

  /**
   * `subscribe {room}`: ADMIN may join any store (and the company room) of their company;
   * everyone may join their company's room on `/notifications`, where company-wide alerts go;
   * others only their own stores. Chat rooms are joined with `chat.join`, which checks membership.
   */
  async assertCanSubscribe(principal: Principal, namespace: NamespaceKey, room: string): Promise<string> {
    const parsed = parseRoom(room);
    if (!parsed) throw AppError.forbidden(`Unknown room ${JSON.stringify(room)}`);
    const joined = Rooms[parsed.kind](parsed.id);
    const { allowed } = await this.checks().sort(principal, namespace, [joined]);
    if (!allowed.length) throw AppError.forbidden(`Not allowed to join ${room}`);
    return joined;
  }
}

/**
 * One pass of room checks (a handshake's resume, a command, a sweep over many sockets): the stores
 * and devices its rooms name are read in at most two queries, however many rooms and principals,
 * so a resume of 200 store rooms is not 200 queries. Stores never change company; a device may
 * move, which is why nothing outlives the pass.
 */
export class RoomChecks {
  /** Store → its company; null: no such store. */
  private readonly stores = new Map<string, string | null>();
  /** Device → its store and company; null: no such device. */
  private readonly devices = new Map<string, { workspaceId: string; companyId: string } | null>();

  constructor(private readonly prisma: PrismaService) {}

  /** Splits `rooms` into those the principal may be in and the others (chat rooms are refused here: their gateway decides). */
  async sort(principal: Principal, namespace: NamespaceKey, rooms: string[]): Promise<{ allowed: string[]; refused: string[] }> {
    await this.load(rooms);
    const allowed: string[] = [];
    const refused: string[] = [];
    for (const room of rooms) (this.allows(principal, namespace, room) ? allowed : refused).push(room);
    return { allowed, refused };
  }

  /**
   * After access changed: those of a socket's rooms it may no longer be in. Chat rooms follow chat
   * membership, and rooms that are no room of ours (the socket's own id) stay.
   */
  async lost(principal: Principal, namespace: NamespaceKey, rooms: Iterable<string>): Promise<string[]> {
    const checked = [...rooms].filter((room) => {
      const kind = parseRoom(room)?.kind;
      return kind !== undefined && kind !== 'chat';
    });
    return (await this.sort(principal, namespace, checked)).refused;
  }

  /** Reads the stores and devices `rooms` name that this pass has not read yet. */
  async load(rooms: Iterable<string>): Promise<void> {
    const stores = new Set<string>();
    const devices = new Set<string>();
    for (const room of rooms) {
      const parsed = parseRoom(room);
      if (parsed?.kind === 'workspace' && !this.stores.has(parsed.id)) stores.add(parsed.id);
      if (parsed?.kind === 'pos' && !this.devices.has(parsed.id)) devices.add(parsed.id);
    }
    const [storeRows, deviceRows] = await Promise.all([
      stores.size ? this.prisma.workspace.findMany({ where: { id: { in: [...stores] } }, select: { id: true, companyId: true } }) : [],
      devices.size
        ? this.prisma.posDevice.findMany({
            where: { id: { in: [...devices] } },
            select: { id: true, workspaceId: true, workspace: { select: { companyId: true } } },
          })
        : [],
    ]);
    for (const id of stores) this.stores.set(id, null);
    for (const { id, companyId } of storeRows) this.stores.set(id, companyId);
    for (const id of devices) this.devices.set(id, null);
    for (const { id, workspaceId, workspace } of deviceRows) this.devices.set(id, { workspaceId, companyId: workspace.companyId });
  }

  /** Whether the principal may be in `room`, from what `load` read. */
  private allows(principal: Principal, namespace: NamespaceKey, room: string): boolean {
    const parsed = parseRoom(room);
    if (!parsed) return false;
    const { kind, id } = parsed;
    switch (kind) {
      case 'company':
        return companyRoomOpen(principal, namespace) && id === principal.companyId;
      case 'workspace':
        return this.stores.get(id) === principal.companyId && canAccessWorkspace(principal, id);
      case 'pos': {
        const device = this.devices.get(id);
        return device?.companyId === principal.companyId && canAccessWorkspace(principal, device.workspaceId);
      }
      case 'user':
        return id === principal.userId;
      case 'catalog':
        return namespace === 'pos' && id === principal.companyId;
      case 'chat':
        return false;
    }
  }
}

/**
 * `company:{id}` carries the whole chain's traffic on `/pos` and `/inventory`, so only ADMINs sit
 * there; on `/notifications` it carries company-wide alerts, which every user of the company gets.
 */
function companyRoomOpen(principal: Principal, namespace: NamespaceKey): boolean {
  return principal.role === 'ADMIN' || namespace === 'notifications';
}
