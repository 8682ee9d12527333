import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const PresenceStatus = z.enum(['online', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

const AppVersion = z.string().trim().min(1).max(64).describe("The till app's version");

/** `pos.device.report`: what a till says of itself, whenever it likes (no event follows; dashboards read it over REST). */
export const DeviceReportCommand = z
  .object({
    appVersion: AppVersion,
    pendingSales: z.number().int().min(0).describe('Sales made offline, not uploaded yet'),
    oldestPendingAt: Timestamp.nullable().describe('When the oldest of them was made'),
    catalogVersion: z.number().int().min(0).describe('The catalog version the till holds (GET /pos/catalog)'),
  })
  .partial()
  .meta({ id: 'DeviceReportCommand' });
export type DeviceReportCommand = z.infer<typeof DeviceReportCommand>;

/** `pos.device.status`: a till went online or offline (a reconnect within the grace period is neither). */
export const DeviceStatusPayload = z
  .object({
    companyId: Id,
    workspaceId: Id,
    deviceId: Id,
    status: PresenceStatus,
    since: Timestamp.describe('When it went online or offline'),
    lastSeenAt: Timestamp,
    pendingSales: z.number().int().nullable().describe('As the till last reported'),
  })
  .meta({ id: 'DeviceStatusPayload' });
export type DeviceStatusPayload = z.infer<typeof DeviceStatusPayload>;

/** The handshake's `auth.appVersion`, the same as a report's. */
export const HandshakeAppVersion = AppVersion;
