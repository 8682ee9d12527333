import { z } from 'zod';
import { Id } from '@retail/common';
import { TimeZone } from './time-zone.js';

export const WorkspaceSchema = z.object({ id: Id, name: z.string(), timeZone: z.string(), companyId: Id }).meta({ id: 'Workspace' });
export const DeviceSchema = z.object({ id: Id, name: z.string(), workspaceId: Id }).meta({ id: 'PosDevice' });

export const UpdateWorkspaceSchema = z
  .object({ name: z.string().trim().min(1).max(100), timeZone: TimeZone.describe("Daily totals follow the store's local day in it") })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one field to change')
  .meta({ id: 'UpdateWorkspaceRequest' });
export type UpdateWorkspaceDto = z.output<typeof UpdateWorkspaceSchema>;
