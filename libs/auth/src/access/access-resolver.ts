import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppError } from '@retail/common';
import { PrismaService, type Role } from '@retail/database';
import { permissionsFor } from '../permissions.js';
import type { AccessTokenClaims, Principal } from '../principal.js';
import { TokenService, type VerifiedToken } from '../services/token.service.js';
import { AccessChanges, type AccessChange } from './access-changes.js';

// Short: a change this replica missed (Redis down) still reaches it within seconds.
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;

interface UserAccess {
  companyId: string;
  role: Role;
  disabled: boolean;
  accessVersion: number;
  workspaceIds: string[];
}
interface DeviceAccess {
  companyId: string;
  workspaceId: string;
  retired: boolean;
}

const revoked = (message: string) => AppError.unauthorized(message, 'token_revoked');

/**
 * Turns a verified token into a Principal, from the database: the user's role, stores and
 * access version, and the device's store. HTTP (AuthGuard) and sockets (the handshake, and again
 * whenever access changes) resolve through here. A few seconds of cache per user and device,
 * dropped on every replica when AccessChanges says their access changed.
 */
@Injectable()
export class AccessResolver {
  private readonly users = new LRUCache<string, UserAccess>({ max: CACHE_MAX, ttl: CACHE_TTL_MS });
  private readonly devices = new LRUCache<string, DeviceAccess>({ max: CACHE_MAX, ttl: CACHE_TTL_MS });
  /** Bumped by every change: a read that started before it must not refill the cache. */
  private generation = 0;

  constructor(
    private readonly prisma: PrismaService,
    private readonly tokens: TokenService,
    changes: AccessChanges,
  ) {
    changes.onChanged((change) => this.forget(change));
  }

  /** Verifies the token, then resolves it. Throws AppError 401 (token_missing/invalid/expired/revoked). */
  async authenticate(token: string | undefined | null): Promise<Principal> {
    const { claims, expiresAt } = this.tokens.verify(token);
    return this.resolve(claims, expiresAt);
  }

  /** Throws 401 `token_revoked` when the user is gone, disabled or at another access version, or the device is retired or out of reach. */
  async resolve(claims: AccessTokenClaims, expiresAt: number): Promise<Principal> {
    const user = await this.cached(this.users, claims.sub, () => this.loadUser(claims.sub));
    if (!user || user.companyId !== claims.companyId || user.disabled || user.accessVersion !== claims.ver) {
      throw revoked('This access token has been revoked');
    }
    // ADMIN's scope is the company: no store list, however many stores it has.
    const workspaceIds = user.role === 'ADMIN' ? [] : user.workspaceIds;
    if (claims.deviceId) {
      const device = await this.cached(this.devices, claims.deviceId, () => this.loadDevice(claims.deviceId!));
      const reachable = device?.companyId === user.companyId && (user.role === 'ADMIN' || workspaceIds.includes(device.workspaceId));
      if (!device || device.retired || !reachable) throw revoked('This POS device is retired or no longer in your stores');
    }
    return {
      userId: claims.sub,
      companyId: user.companyId,
      workspaceIds,
      role: user.role,
      permissions: permissionsFor(user.role),
      ...(claims.deviceId ? { deviceId: claims.deviceId } : {}),
      ...(claims.sid ? { sessionId: claims.sid } : {}),
      accessVersion: claims.ver,
      expiresAt,
    };
  }

  /**
   * Resolves many tokens again at once, e.g. every live socket's: their users and devices are read
   * afresh in one query each, then each token is resolved as `resolve` does. Throws when that read
   * fails (the database is down); otherwise settles each token apart (a revoked one rejects).
   */
  async resolveMany(tokens: VerifiedToken[]): Promise<PromiseSettledResult<Principal>[]> {
    const generation = this.generation;
    const userIds = [...new Set(tokens.map(({ claims }) => claims.sub))];
    const deviceIds = [...new Set(tokens.flatMap(({ claims }) => (claims.deviceId ? [claims.deviceId] : [])))];
    const [users, devices] = await Promise.all([this.loadUsers(userIds), this.loadDevices(deviceIds)]);
    if (generation === this.generation) {
      for (const [id, user] of users) this.users.set(id, user);
      for (const [id, device] of devices) this.devices.set(id, device);
    }
    return Promise.allSettled(tokens.map(({ claims, expiresAt }) => this.resolve(claims, expiresAt)));
  }

  private forget({ userIds, deviceIds }: AccessChange): void {
    this.generation++;
    for (const id of userIds) this.users.delete(id);
    for (const id of deviceIds) this.devices.delete(id);
  }

  private async cached<V extends object>(cache: LRUCache<string, V>, key: string, load: () => Promise<V | null>): Promise<V | null> {
    const hit = cache.get(key);
    if (hit) return hit;
    const generation = this.generation;
    const value = await load();
    if (value && generation === this.generation) cache.set(key, value);
    return value;
  }

  private async loadUser(id: string): Promise<UserAccess | null> {
    return (await this.loadUsers([id])).get(id) ?? null;
  }

  private async loadUsers(ids: string[]): Promise<Map<string, UserAccess>> {
    if (!ids.length) return new Map();
    const users = await this.prisma.user.findMany({
      where: { id: { in: ids } },
      select: { id: true, companyId: true, role: true, disabled: true, accessVersion: true, workspaces: { select: { workspaceId: true } } },
    });
    return new Map(users.map(({ id, workspaces, ...access }) => [id, { ...access, workspaceIds: workspaces.map((w) => w.workspaceId) }]));
  }

  private async loadDevice(id: string): Promise<DeviceAccess | null> {
    return (await this.loadDevices([id])).get(id) ?? null;
  }

  private async loadDevices(ids: string[]): Promise<Map<string, DeviceAccess>> {
    if (!ids.length) return new Map();
    const devices = await this.prisma.posDevice.findMany({
      where: { id: { in: ids } },
      select: { id: true, workspaceId: true, retired: true, workspace: { select: { companyId: true } } },
    });
    return new Map(
      devices.map((device) => [
        device.id,
        { companyId: device.workspace.companyId, workspaceId: device.workspaceId, retired: device.retired },
      ]),
    );
  }
}
