import { Injectable } from '@nestjs/common';
import { AccessChanges, LoginSessions, type Principal } from '@retail/auth';
import { AppError, isUniqueViolation } from '@retail/common';
import { newDeviceKey, PrismaService, TransactionRunner } from '@retail/database';
import type { CreateDeviceDto, UpdateDeviceDto } from './workspace.dto.js';
import { DEVICE_SELECT, WorkspacesService } from './workspaces.service.js';

const nameTaken = (name: string | undefined) =>
  AppError.conflict('device_name_taken', `A device named ${name ?? 'so'} already exists in that store`);

/** A company's POS devices, set up by its ADMIN. Another company's device or store is not found. */
@Injectable()
export class DevicesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly transactions: TransactionRunner,
    private readonly workspaces: WorkspacesService,
    private readonly accessChanges: AccessChanges,
    private readonly loginSessions: LoginSessions,
  ) {}

  /** A new till with its key: the answer is the only place the key is ever shown. */
  async create(admin: Principal, workspaceId: string, { name }: CreateDeviceDto) {
    await this.workspaces.assertInCompany(admin.companyId, workspaceId);
    const { deviceKey, keyHash } = newDeviceKey();
    try {
      const device = await this.prisma.posDevice.create({ data: { workspaceId, name, keyHash }, select: DEVICE_SELECT });
      return { ...device, deviceKey };
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(name) : error;
    }
  }

  /**
   * Issues the till a new key (shown once, in the answer): the old one stops working, and every
   * session opened on the till ends, its tokens and sockets on every replica. A login racing with
   * this either sees the new key or is ended with the others (it holds the device row).
   */
  async issueKey(admin: Principal, workspaceId: string, deviceId: string) {
    const { deviceKey, keyHash } = newDeviceKey();
    return this.transactions.run(async (tx) => {
      const found = await tx.posDevice.findFirst({ where: { id: deviceId, workspaceId, workspace: { companyId: admin.companyId } } });
      if (!found) throw AppError.notFound('Device');
      const device = await tx.posDevice.update({ where: { id: deviceId }, data: { keyHash }, select: DEVICE_SELECT });
      await this.loginSessions.endAllOfDevice(tx, deviceId, 'DEVICE_KEY_ROTATED');
      return { ...device, deviceKey };
    });
  }

  /**
   * Moving a device takes its tokens out of the old store, retiring it revokes them and ends its
   * sessions for good (bringing it back revives none): every replica hears of it once the change
   * commits and re-checks the sockets bound to the device.
   */
  async update(admin: Principal, deviceId: string, { workspaceId, retired }: UpdateDeviceDto) {
    try {
      return await this.transactions.run(async (tx) => {
        const device = await tx.posDevice.findFirst({ where: { id: deviceId, workspace: { companyId: admin.companyId } } });
        if (!device) throw AppError.notFound('Device');
        if (workspaceId && workspaceId !== device.workspaceId) {
          await this.workspaces.assertInCompany(admin.companyId, workspaceId);
          const openDrawer = await tx.cashSession.findFirst({ where: { openDeviceId: deviceId }, select: { id: true } });
          if (openDrawer) throw AppError.conflict('cash_session_open', "Close the device's drawer before moving it to another store");
        }
        const updated = await tx.posDevice.update({ where: { id: deviceId }, data: { workspaceId, retired }, select: DEVICE_SELECT });
        if (retired && !device.retired) await this.loginSessions.endAllOfDevice(tx, deviceId, 'DEVICE_RETIRED');
        this.accessChanges.announceAfterCommit(tx, { deviceIds: [deviceId] });
        return updated;
      });
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(undefined) : error;
    }
  }
}
