import { Injectable } from '@nestjs/common';
import { hasPermission, visibleInWorkspace, type Principal } from '@retail/auth';
import { AppError } from '@retail/common';
import { PrismaService } from '@retail/database';

/** Who may act on which device, cart and drawer. Anything of another company, or another store, is 404. */
@Injectable()
export class PosAccess {
  constructor(private readonly prisma: PrismaService) {}

  /** A cashier sells on the device of their token; someone with pos:manage may name another device of their stores. */
  async device(user: Principal, requested: string | undefined) {
    this.assertMayUseDevice(user, requested);
    const deviceId = requested ?? user.deviceId;
    if (!deviceId) throw AppError.validation([{ path: 'deviceId', message: 'Log in with a deviceId, or give one' }]);
    const device = await this.prisma.posDevice.findFirst({
      where: { id: deviceId, retired: false, workspace: { companyId: user.companyId } },
      include: { workspace: true },
    });
    return visibleInWorkspace(user, device, 'Device');
  }

  async cart(user: Principal, id: string) {
    const cart = await this.prisma.cart.findFirst({
      where: { id, workspace: { companyId: user.companyId } },
      include: { workspace: true },
    });
    return visibleInWorkspace(user, cart, 'Cart');
  }

  async cashSession(user: Principal, id: string) {
    const session = visibleInWorkspace(
      user,
      await this.prisma.cashSession.findFirst({ where: { id, workspace: { companyId: user.companyId } } }),
      'Cash session',
    );
    this.assertMayUseDevice(user, session.deviceId);
    return session;
  }

  private assertMayUseDevice(user: Principal, deviceId: string | undefined) {
    if (deviceId && deviceId !== user.deviceId && !hasPermission(user, 'pos:manage')) {
      throw AppError.forbidden('You may only use the device you logged in with', 'device_forbidden');
    }
  }
}
