import { z } from 'zod';
import { Id } from '@retail/common';
import { TimeZone } from './time-zone.js';

export const WorkspaceSchema = z.object({ id: Id, name: z.string(), timeZone: z.string(), companyId: Id }).meta({ id: 'Workspace' });
export const DeviceSchema = z
  .object({ id: Id, name: z.string(), workspaceId: Id, retired: z.boolean().describe("A retired device's tokens are refused") })
  .meta({ id: 'PosDevice' });

export const DeviceWithKeySchema = DeviceSchema.extend({
  deviceKey: z
    .string()
    .describe("The till's key, shown this once (only its hash is kept): log in on the till with it. A new one replaces it."),
}).meta({ id: 'PosDeviceWithKey' });

const DeviceName = z.string().trim().min(1).max(100).describe('Unique within the store');
export const CreateDeviceSchema = z.object({ name: DeviceName }).meta({ id: 'CreateDeviceRequest' });
export type CreateDeviceDto = z.output<typeof CreateDeviceSchema>;

export const UpdateDeviceSchema = z
  .object({
    workspaceId: Id.describe('Move the device to another store of the company: its tokens lose the old store'),
    retired: z.boolean().describe('Retiring revokes every token bound to the device'),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one field to change')
  .meta({ id: 'UpdateDeviceRequest' });
export type UpdateDeviceDto = z.output<typeof UpdateDeviceSchema>;

export const UpdateWorkspaceSchema = z
  .object({ name: z.string().trim().min(1).max(100), timeZone: TimeZone.describe("Daily totals follow the store's local day in it") })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one field to change')
  .meta({ id: 'UpdateWorkspaceRequest' });
export type UpdateWorkspaceDto = z.output<typeof UpdateWorkspaceSchema>;
