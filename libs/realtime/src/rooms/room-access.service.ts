import { Injectable } from '@nestjs/common';
import type { Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';
import { WorkspacesService } from '@retail/workspaces';
import { parseRoom, Rooms, type NamespaceKey, type RoomKind } from '@retail/realtime-protocol';

/** Who may be in which room. The tenant boundary of the whole realtime layer. */
@Injectable()
export class RoomAccessService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
  ) {}

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

  /**
   * `subscribe {room}`: ADMIN may join any store (and the company room) of their company;
   * everyone may join their company's room on `/notifications`, where company-wide alerts go;
   * others only their own stores. Chat rooms are joined with `chat.join`, which checks membership.
   */
  async assertCanSubscribe(principal: Principal, namespace: NamespaceKey, room: string): Promise<string> {
    const parsed = parseRoom(room);
    if (!parsed) throw AppError.forbidden(`Unknown room ${JSON.stringify(room)}`);
    const allowed = await this.allows(principal, namespace, parsed.kind, parsed.id);
    if (!allowed) throw AppError.forbidden(`Not allowed to join ${room}`);
    return Rooms[parsed.kind](parsed.id);
  }

  /**
   * After an access change: may a socket stay in a room it is in? Store, device and company
   * rooms are checked again; chat rooms follow chat membership, and a socket's own id room stays.
   */
  async mayStayIn(principal: Principal, namespace: NamespaceKey, room: string): Promise<boolean> {
    const parsed = parseRoom(room);
    if (!parsed || parsed.kind === 'chat') return true;
    return this.allows(principal, namespace, parsed.kind, parsed.id);
  }

  private async allows(principal: Principal, namespace: NamespaceKey, kind: RoomKind, id: string): Promise<boolean> {
    switch (kind) {
      case 'company':
        return companyRoomOpen(principal, namespace) && id === principal.companyId;
      case 'workspace':
        return this.workspaceVisible(principal, id);
      case 'pos': {
        const device = await this.prisma.posDevice.findUnique({ where: { id }, select: { workspaceId: true } });
        return Boolean(device) && (await this.workspaceVisible(principal, device!.workspaceId));
      }
      case 'user':
        return id === principal.userId;
      case 'catalog':
        return namespace === 'pos' && id === principal.companyId;
      case 'chat':
        return false;
    }
  }

  private async workspaceVisible(principal: Principal, workspaceId: string): Promise<boolean> {
    return Boolean(await this.workspaces.findVisible(principal, workspaceId));
  }
}

/**
 * `company:{id}` carries the whole chain's traffic on `/pos` and `/inventory`, so only ADMINs sit
 * there; on `/notifications` it carries company-wide alerts, which every user of the company gets.
 */
function companyRoomOpen(principal: Principal, namespace: NamespaceKey): boolean {
  return principal.role === 'ADMIN' || namespace === 'notifications';
}
