import { Injectable } from '@nestjs/common';
import { mayUseDevice, visibleInWorkspace, type Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';

/** A POS device as the commands on it need it: which one, and its store. */
export interface Till {
  id: string;
  workspaceId: string;
}

/**
 * Who may act on which device, drawer and sale (a cart is checked under its lock: lockCart).
 * Anything of another company, or another store, is 404; in one's own store, another device's
 * drawer needs pos:manage (mayUseDevice).
 */
@Injectable()
export class PosAccess {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * A cashier sells on the device of their token, whose store the token's resolution already
   * found (no read); someone with pos:manage may name another device of their stores.
   */
  async device(user: Principal, requested: string | undefined): Promise<Till> {
    if (!requested || requested === user.deviceId) {
      if (!user.deviceId || !user.deviceWorkspaceId)
        throw AppError.validation([{ path: 'deviceId', message: 'Log in with a deviceId, or give one' }]);
      return { id: user.deviceId, workspaceId: user.deviceWorkspaceId };
    }
    assertMayUseDevice(user, requested);
    const device = await this.prisma.posDevice.findFirst({
      where: { id: requested, retired: false, workspace: { companyId: user.companyId } },
      select: { id: true, workspaceId: true },
    });
    return visibleInWorkspace(user, device, 'Device');
  }

  /** A device to read about: any device of the caller's stores, retired ones included. */
  async deviceToRead(user: Principal, id: string) {
    const device = await this.prisma.posDevice.findFirst({ where: { id, workspace: { companyId: user.companyId } } });
    return visibleInWorkspace(user, device, 'Device');
  }

  /** The till a sale is made on: the device of the caller's token, with its store. */
  async till(user: Principal): Promise<Till> {
    if (!user.deviceId) throw AppError.forbidden('Sell from a till: log in with its deviceId', 'device_required');
    return this.device(user, undefined);
  }

  /** A drawer to read: any drawer of the caller's stores. */
  async cashSessionToRead(user: Principal, id: string) {
    return visibleInWorkspace(
      user,
      await this.prisma.cashSession.findFirst({ where: { id, workspace: { companyId: user.companyId } } }),
      'Cash session',
    );
  }

  /** A drawer to close: only from its own device, or with pos:manage. */
  async cashSession(user: Principal, id: string) {
    const session = await this.cashSessionToRead(user, id);
    assertMayUseDevice(user, session.deviceId);
    return session;
  }

  /** A sale of the caller's stores, with its store. */
  async sale(user: Principal, id: string) {
    const sale = await this.prisma.sale.findFirst({
      where: { id, workspace: { companyId: user.companyId } },
      include: {
        workspace: true,
        lines: { select: { productId: true, unitPrice: true, product: { select: { id: true, sku: true, name: true } } } },
      },
    });
    return visibleInWorkspace(user, sale, 'Sale');
  }
}

function assertMayUseDevice(user: Principal, deviceId: string) {
  if (!mayUseDevice(user, deviceId)) {
    throw AppError.forbidden('Only its own device, or someone with pos:manage, may use this device', 'device_forbidden');
  }
}
