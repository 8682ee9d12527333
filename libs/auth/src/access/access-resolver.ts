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
    const { user, session, device } = await this.accessOf(claims);
    if (!user || user.companyId !== claims.companyId || user.disabled || user.accessVersion !== claims.ver) {
      throw revoked('This access token has been revoked');
    }
    const refusal = sessionRefusal(session, claims, Date.now());
    if (refusal) throw revoked(refusal);
    // ADMIN's scope is the company: no store list, however many stores it has.
    const workspaceIds = user.role === 'ADMIN' ? [] : user.workspaceIds;
    let deviceWorkspaceId: string | undefined;
    if (claims.deviceId) {
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
   * sessions are read afresh in one query, then each token is resolved as `resolve` does.
   * Throws when that read fails (the database is down); otherwise settles each token apart (a
   * revoked one rejects).
   */
  async resolveMany(tokens: VerifiedToken[]): Promise<PromiseSettledResult<Principal>[]> {
    const ids = (pick: (claims: AccessTokenClaims) => string | undefined) => [
      ...new Set(tokens.flatMap(({ claims }) => pick(claims) ?? [])),
    ];
    await this.load({ users: ids((c) => c.sub), sessions: ids((c) => c.sid), devices: ids((c) => c.deviceId) });
    return Promise.allSettled(tokens.map(({ claims, expiresAt }) => this.resolve(claims, expiresAt)));
  }

  private forget({ userIds, deviceIds, sessionIds }: AccessChange): void {
    this.generation++;
    for (const id of userIds) this.users.delete(id);
    for (const id of deviceIds) this.devices.delete(id);
    for (const id of sessionIds) this.sessions.delete(id);
  }

  /** A token's user, session and device: from the cache, or what is missing in one read. */
  private async accessOf(claims: AccessTokenClaims) {
    const hit = {
      user: this.users.get(claims.sub),
      session: this.sessions.get(claims.sid),
      device: claims.deviceId ? this.devices.get(claims.deviceId) : undefined,
    };
    if (hit.user && hit.session && (hit.device || !claims.deviceId)) return hit;
    const loaded = await this.load({
      users: hit.user ? [] : [claims.sub],
      sessions: hit.session ? [] : [claims.sid],
      devices: claims.deviceId && !hit.device ? [claims.deviceId] : [],
    });
    return {
      user: hit.user ?? loaded.users.get(claims.sub),
      session: hit.session ?? loaded.sessions.get(claims.sid),
      device: hit.device ?? (claims.deviceId ? loaded.devices.get(claims.deviceId) : undefined),
    };
  }

  /**
   * Users (with their stores), sessions and devices (with their company) by id, in one statement,
   * remembered unless an access change came in while it ran.
   */
  private async load(ids: { users: string[]; sessions: string[]; devices: string[] }) {
    const generation = this.generation;
    const rows = await this.prisma.$queryRaw<
      Array<{ kind: 'user' | 'session' | 'device'; id: string; access: UserAccess & SessionAccess & DeviceAccess }>
    >`
      SELECT 'user' AS kind, u.id::text, jsonb_build_object(
          'companyId', u."companyId", 'role', u.role, 'disabled', u.disabled, 'accessVersion', u."accessVersion",
          'workspaceIds', ARRAY(SELECT m."workspaceId" FROM "WorkspaceMember" m WHERE m."userId" = u.id)) AS access
        FROM "User" u WHERE u.id = ANY(${ids.users}::uuid[])
      UNION ALL
      SELECT 'session', s.id::text, jsonb_build_object(
          'userId', s."userId", 'deviceId', s."deviceId", 'ended', s."endedAt" IS NOT NULL,
          'expiresAt', (extract(epoch FROM s."expiresAt") * 1000)::float8)
        FROM "LoginSession" s WHERE s.id = ANY(${ids.sessions}::uuid[])
      UNION ALL
      SELECT 'device', d.id::text, jsonb_build_object('companyId', w."companyId", 'workspaceId', d."workspaceId", 'retired', d.retired)
        FROM "PosDevice" d JOIN "Workspace" w ON w.id = d."workspaceId" WHERE d.id = ANY(${ids.devices}::uuid[])`;
    const loaded = {
      users: new Map<string, UserAccess>(),
      sessions: new Map<string, SessionAccess>(),
      devices: new Map<string, DeviceAccess>(),
    };
    for (const { kind, id, access } of rows) (loaded[`${kind}s`] as Map<string, unknown>).set(id, access);
    if (generation === this.generation) {
      for (const [id, user] of loaded.users) this.users.set(id, user);
      for (const [id, session] of loaded.sessions) this.sessions.set(id, session);
      for (const [id, device] of loaded.devices) this.devices.set(id, device);
    }
    return loaded;
  }
}
