import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppError } from '@retail/common';
import { PrismaService, type Role } from '@retail/database';
import { permissionsFor } from '../permissions.js';
import type { AccessTokenClaims, Principal } from '../principal.js';
import { TokenService } from '../services/token.service.js';
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
      sessionId: claims.sid,
      accessVersion: claims.ver,
      expiresAt,
    };
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
    const user = await this.prisma.user.findUnique({
      where: { id },
      select: { companyId: true, role: true, disabled: true, accessVersion: true, workspaces: { select: { workspaceId: true } } },
    });
    if (!user) return null;
    const { workspaces, ...access } = user;
    return { ...access, workspaceIds: workspaces.map((w) => w.workspaceId) };
  }

  private async loadSession(id: string): Promise<SessionAccess | null> {
    const session = await this.prisma.loginSession.findUnique({
      where: { id },
      select: { userId: true, deviceId: true, expiresAt: true, endedAt: true },
    });
    return (
      session && { userId: session.userId, deviceId: session.deviceId, expiresAt: session.expiresAt.getTime(), ended: !!session.endedAt }
    );
  }

  private async loadDevice(id: string): Promise<DeviceAccess | null> {
    const device = await this.prisma.posDevice.findUnique({
      where: { id },
      select: { workspaceId: true, retired: true, workspace: { select: { companyId: true } } },
    });
    return device && { companyId: device.workspace.companyId, workspaceId: device.workspaceId, retired: device.retired };
  }
}
