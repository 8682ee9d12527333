import { Injectable } from '@nestjs/common';
import { AccessChanges, type Principal } from '@retail/auth';
import { AppError, isUniqueViolation } from '@retail/common';
import { PrismaService, TransactionRunner } from '@retail/database';
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
  ) {}

  async create(admin: Principal, workspaceId: string, { name }: CreateDeviceDto) {
    await this.workspaces.assertInCompany(admin.companyId, workspaceId);
    try {
      return await this.prisma.posDevice.create({ data: { workspaceId, name }, select: DEVICE_SELECT });
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(name) : error;
    }
  }

  /**
   * Moving a device takes its tokens out of the old store, retiring it revokes them: every
   * replica hears of it once the change commits and re-checks the sockets bound to the device.
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
        this.accessChanges.announceAfterCommit(tx, { deviceIds: [deviceId] });
        return updated;
      });
    } catch (error) {
      throw isUniqueViolation(error) ? nameTaken(undefined) : error;
    }
  }
}
