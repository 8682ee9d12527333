import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../auth/src/index.js';
import { AppError } from '../../../common/src/index.js';
import { PrismaService } from '../../../database/src/index.js';
import { WorkspacesService } from '../../../workspaces/src/index.js';
import { parseRoom, Rooms } from './rooms.js';

/** Who may be in which room. The tenant boundary of the whole realtime layer. */
@Injectable()
export class RoomAccessService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly workspaces: WorkspacesService,
  ) {}

  /** Rooms a socket joins on connect. */
  defaultRooms(principal: Principal): string[] {
    return [
      ...(principal.role === 'ADMIN' ? [Rooms.company(principal.companyId)] : []),
      ...principal.workspaceIds.map(Rooms.workspace),
      ...(principal.deviceId ? [Rooms.pos(principal.deviceId)] : []),
      Rooms.user(principal.userId),
    ];
  }

  /**
   * `subscribe {room}`: ADMIN may join any store (and the company room) of their company;
   * others only their own stores. Chat rooms are joined with `chat.join`, which checks membership.
   */
  async assertCanSubscribe(principal: Principal, room: string): Promise<string> {
    const parsed = parseRoom(room);
    if (!parsed) throw AppError.forbidden(`Unknown room ${JSON.stringify(room)}`);
    const allowed = await this.allows(principal, parsed.kind, parsed.id);
    if (!allowed) throw AppError.forbidden(`Not allowed to join ${room}`);
    return Rooms[parsed.kind](parsed.id);
  }

  private async allows(principal: Principal, kind: keyof typeof Rooms, id: string): Promise<boolean> {
    switch (kind) {
      case 'company':
        return principal.role === 'ADMIN' && id === principal.companyId;
      case 'workspace':
        return this.storeVisible(principal, id);
      case 'pos': {
        const device = await this.prisma.posDevice.findUnique({ where: { id }, select: { workspaceId: true } });
        return Boolean(device) && (await this.storeVisible(principal, device!.workspaceId));
      }
      case 'user':
        return id === principal.userId;
      case 'chat':
        return false;
    }
  }

  private async storeVisible(principal: Principal, workspaceId: string): Promise<boolean> {
    return Boolean(await this.workspaces.findVisible(principal, workspaceId));
  }
}
