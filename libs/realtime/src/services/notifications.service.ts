import { Injectable } from '@nestjs/common';
import { PrismaService, type Db } from '../../../database/src/index.js';
import type { EventKey } from '../events/catalog.js';
import type { NotificationKind, NotificationScope, SystemNotificationPayload } from '../dto/notifications.dto.js';
import { EventDispatcher, type EmitOptions } from '../publishing/event-dispatcher.js';
import { Rooms } from '../rooms/rooms.js';

export type NotificationLevel = 'ALERT' | 'WARNING' | 'INFO';

export interface SystemNotificationInput {
  companyId: string;
  title: string;
  message: string;
  /** Defaults to the whole company. */
  scope?: NotificationScope;
  kind?: NotificationKind;
  data?: Record<string, unknown>;
  notificationId?: string;
}

const EVENT_BY_LEVEL: Record<NotificationLevel, EventKey & ('systemAlert' | 'systemWarning' | 'systemInfo')> = {
  ALERT: 'systemAlert',
  WARNING: 'systemWarning',
  INFO: 'systemInfo',
};

/**
 * Alert routing by scope. Only ADMINs sit in `company:{id}`, so a company-wide alert also goes to
 * every store room of the company: that is how it reaches every connected user, cashiers included.
 * Store alerts also reach the company (chain-wide) view.
 */
@Injectable()
export class RealtimeNotificationsService {
  constructor(
    private readonly events: EventDispatcher,
    private readonly prisma: PrismaService,
  ) {}

  async notify(level: NotificationLevel, input: SystemNotificationInput, options?: EmitOptions) {
    const scope = input.scope ?? { type: 'company' as const };
    const payload: SystemNotificationPayload = {
      companyId: input.companyId,
      notificationId: input.notificationId ?? null,
      scope,
      kind: input.kind ?? 'CUSTOM',
      title: input.title,
      message: input.message,
      ...(input.data ? { data: input.data } : {}),
      createdAt: new Date().toISOString(),
    };
    const workspaceId = scope.type === 'workspace' ? scope.workspaceId : undefined;
    // Inside the caller's transaction when there is one: PGlite has a single connection.
    const rooms = await this.roomsFor(options?.tx ?? this.prisma, input.companyId, scope);
    return this.events.dispatch(EVENT_BY_LEVEL[level], { companyId: input.companyId, workspaceId }, payload, rooms, options);
  }

  private async roomsFor(db: Db, companyId: string, scope: NotificationScope): Promise<string[]> {
    switch (scope.type) {
      case 'user':
        return [Rooms.user(scope.userId)];
      case 'workspace':
        return [Rooms.workspace(scope.workspaceId), Rooms.company(companyId)];
      case 'company': {
        const stores = await db.workspace.findMany({ where: { companyId }, select: { id: true } });
        return [Rooms.company(companyId), ...stores.map((s) => Rooms.workspace(s.id))];
      }
    }
  }
}
