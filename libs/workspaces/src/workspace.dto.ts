import { z } from 'zod';
import { Id } from '@retail/common';
import { OpeningHours } from './opening-hours.js';
import { TimeZone } from './time-zone.js';

export const WorkspaceSchema = z
  .object({
    id: Id,
    name: z.string(),
    timeZone: z.string(),
    companyId: Id,
    openingHours: OpeningHours.nullable().describe('null: always open'),
    offlineAlertAfterSeconds: z.number().int(),
    archivedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Workspace' });
export const WorkspaceDetailSchema = WorkspaceSchema.extend({
  open: z.boolean().describe('Open now, by its opening hours on its own wall clock'),
}).meta({ id: 'WorkspaceDetail' });
export const DeviceSchema = z
  .object({ id: Id, name: z.string(), workspaceId: Id, retired: z.boolean().describe("A retired device's tokens are refused") })
  .meta({ id: 'PosDevice' });

export const DevicePresenceSchema = z
  .object({
    status: z.enum(['online', 'offline']).describe('online while at least one socket of the till is connected, on any replica'),
    since: z.iso.datetime().nullable().describe('When it went online or offline; null: never seen'),
    lastSeenAt: z.iso.datetime().nullable(),
    appVersion: z.string().nullable(),
    pendingSales: z.number().int().nullable().describe('As the till last reported (pos.device.report)'),
    oldestPendingAt: z.iso.datetime().nullable(),
    catalogVersion: z.number().int().nullable(),
    catalogStale: z.boolean().describe("Its catalog has lagged the company's for more than 10 minutes"),
  })
  .meta({ id: 'DevicePresence' });
export const DeviceWithPresenceSchema = DeviceSchema.extend({ presence: DevicePresenceSchema }).meta({ id: 'PosDeviceWithPresence' });
export const StorePresenceSchema = z
  .object({
    workspaceId: Id,
    open: z.boolean(),
    devices: z.number().int(),
    online: z.number().int(),
    offline: z.number().int(),
    pendingSales: z.number().int().describe('Summed over its tills, as they last reported'),
  })
  .meta({ id: 'StorePresence' });

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

const StoreFields = z.object({
  name: z.string().trim().min(1).max(100).describe('Unique within the company'),
  timeZone: TimeZone.describe("Opening hours and daily totals follow the store's local clock in it"),
  openingHours: OpeningHours.nullable().describe('Left out (or null): always open'),
  offlineAlertAfterSeconds: z
    .number()
    .int()
    .min(30)
    .max(86_400)
    .describe('A till offline this long while the store is open raises an alert'),
});

export const CreateWorkspaceSchema = StoreFields.extend({
  offlineAlertAfterSeconds: StoreFields.shape.offlineAlertAfterSeconds.default(300),
})
  .partial({ openingHours: true })
  .meta({ id: 'CreateWorkspaceRequest' });
export type CreateWorkspaceDto = z.output<typeof CreateWorkspaceSchema>;

export const UpdateWorkspaceSchema = StoreFields.partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one field to change')
  .meta({ id: 'UpdateWorkspaceRequest' });
export type UpdateWorkspaceDto = z.output<typeof UpdateWorkspaceSchema>;

export const WorkspacesQuerySchema = z
  .object({ archived: z.enum(['true', 'false']).default('false').describe('true: the archived stores, which are left out otherwise') })
  .meta({ id: 'WorkspacesQuery' });
export type WorkspacesQueryDto = z.output<typeof WorkspacesQuerySchema>;
