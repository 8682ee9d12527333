import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppError } from '@retail/common';
import { PrismaService, type Role } from '@retail/database';
import { permissionsFor } from '../permissions.js';
import type { AccessTokenClaims, Principal } from '../principal.js';
import { TokenService, type VerifiedToken } from '../services/token.service.js';
import { AccessChanges, type AccessChange } from './access-changes.js';
import { sessionRefusal, type SessionAccess } from './session-access.js';

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
 * access version, the device's store, and whether the token's login session is still live. HTTP
 * (AuthGuard) and sockets (the handshake, and again whenever access changes) resolve through here.
 * A few seconds of cache per user, device and session, dropped on every replica when AccessChanges
 * says their access changed (an ended session is announced by its id).
 */
@Injectable()
export class AccessResolver {
  private readonly users = new LRUCache<string, UserAccess>({ max: CACHE_MAX, ttl: CACHE_TTL_MS });
  private readonly devices = new LRUCache<string, DeviceAccess>({ max: CACHE_MAX, ttl: CACHE_TTL_MS });
  private readonly sessions = new LRUCache<string, SessionAccess>({ max: CACHE_MAX, ttl: CACHE_TTL_MS });
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

  /**
   * Throws 401 `token_revoked` when the user is gone, disabled or at another access version, the
   * session has ended or expired, or the device is retired or out of reach.
   */
  async resolve(claims: AccessTokenClaims, expiresAt: number): Promise<Principal> {
    const [user, session] = await Promise.all([
      this.cached(this.users, claims.sub, () => this.loadUser(claims.sub)),
      this.cached(this.sessions, claims.sid, () => this.loadSession(claims.sid)),
    ]);
    if (!user || user.companyId !== claims.companyId || user.disabled || user.accessVersion !== claims.ver) {
      throw revoked('This access token has been revoked');
    }
    const refusal = sessionRefusal(session, claims, Date.now());
    if (refusal) throw revoked(refusal);
    // ADMIN's scope is the company: no store list, however many stores it has.
    const workspaceIds = user.role === 'ADMIN' ? [] : user.workspaceIds;
    let deviceWorkspaceId: string | undefined;
    if (claims.deviceId) {
      const device = await this.cached(this.devices, claims.deviceId, () => this.loadDevice(claims.deviceId!));
      const reachable = device?.companyId === user.companyId && (user.role === 'ADMIN' || workspaceIds.includes(device.workspaceId));
      if (!device || device.retired || !reachable) throw revoked('This POS device is retired or no longer in your stores');
      deviceWorkspaceId = device.workspaceId;
    }
    return {
      userId: claims.sub,
      companyId: user.companyId,
      workspaceIds,
      role: user.role,
      permissions: permissionsFor(user.role),
      ...(claims.deviceId ? { deviceId: claims.deviceId, deviceWorkspaceId } : {}),
      sessionId: claims.sid,
      accessVersion: claims.ver,
      expiresAt,
    };
  }

  /**
   * Resolves many tokens again at once, e.g. every live socket's: their users, devices and
   * sessions are read afresh in one query each, then each token is resolved as `resolve` does.
   * Throws when that read fails (the database is down); otherwise settles each token apart (a
   * revoked one rejects).
   */
  async resolveMany(tokens: VerifiedToken[]): Promise<PromiseSettledResult<Principal>[]> {
    const generation = this.generation;
    const ids = (pick: (claims: AccessTokenClaims) => string | undefined) => [
      ...new Set(tokens.flatMap(({ claims }) => pick(claims) ?? [])),
    ];
    const [users, devices, sessions] = await Promise.all([
      this.loadUsers(ids((c) => c.sub)),
      this.loadDevices(ids((c) => c.deviceId)),
      this.loadSessions(ids((c) => c.sid)),
    ]);
    if (generation === this.generation) {
      for (const [id, user] of users) this.users.set(id, user);
      for (const [id, device] of devices) this.devices.set(id, device);
      for (const [id, session] of sessions) this.sessions.set(id, session);
    }
    return Promise.allSettled(tokens.map(({ claims, expiresAt }) => this.resolve(claims, expiresAt)));
  }

  private forget({ userIds, deviceIds, sessionIds }: AccessChange): void {
    this.generation++;
    for (const id of userIds) this.users.delete(id);
    for (const id of deviceIds) this.devices.delete(id);
    for (const id of sessionIds) this.sessions.delete(id);
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

  private async loadSession(id: string): Promise<SessionAccess | null> {
    return (await this.loadSessions([id])).get(id) ?? null;
  }

  private async loadSessions(ids: string[]): Promise<Map<string, SessionAccess>> {
    if (!ids.length) return new Map();
    const sessions = await this.prisma.loginSession.findMany({
      where: { id: { in: ids } },
      select: { id: true, userId: true, deviceId: true, expiresAt: true, endedAt: true },
    });
    return new Map(
      sessions.map(({ id, userId, deviceId, expiresAt, endedAt }) => [
        id,
        { userId, deviceId, expiresAt: expiresAt.getTime(), ended: !!endedAt },
      ]),
    );
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
