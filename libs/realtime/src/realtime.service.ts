import { Injectable } from '@nestjs/common';
import { afterCommit, type Tx } from '@retail/database';
import {
  createEnvelope,
  EVENTS,
  NAMESPACES,
  SYSTEM_EVENT_BY_LEVEL,
  type ChatMessage,
  type DailyTotalsPayload,
  type EventKey,
  type EventPayload,
  type MovementPayload,
  type NotificationLevel,
  type RealtimeEnvelope,
  type SaleCompletedPayload,
  type SystemNotificationPayload,
} from '@retail/realtime-protocol';
import { EventPublisher } from './publishing/event-publisher.js';
import { EventOutbox } from './streams/event-outbox.js';
import { routeOf } from './routing/routes.js';

export interface EmitOptions {
  /**
   * The transaction that records the change this event describes: the event leaves only after
   * it commits, and never if it rolls back. `null` says, on purpose, that there is none.
   */
  tx: Tx | null;
}

/** An alert as domain code raises it; the level picks `system.alert`, `.warning` or `.info`. */
export type SystemAlertInput = Omit<SystemNotificationPayload, 'createdAt' | 'notificationId'> & {
  level?: NotificationLevel;
  notificationId?: string | null;
};

/**
 * The integration API for domain modules. They call `emit` (or the seed's five named methods,
 * typed sugar over it) and never see Socket.IO, rooms or Redis. Each call returns the envelope
 * it sent, or will send once `tx` commits; its `id` identifies the event everywhere.
 */
@Injectable()
export class RealtimeService {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly outbox: EventOutbox,
  ) {}

  emit<K extends EventKey>(key: K, payload: EventPayload<K>, options: EmitOptions): RealtimeEnvelope<K> {
    const route = routeOf(key, payload);
    const envelope = createEnvelope(key, { companyId: payload.companyId, workspaceId: route.workspaceId }, payload);
    const namespace = NAMESPACES[EVENTS[key].namespace].path;
    const rooms = [...new Set(route.rooms)];
    if (EVENTS[key].stream && this.outbox.enabled) {
      this.outbox.add(options.tx, { namespace, rooms, envelope });
      return envelope;
    }
    // Ephemeral events, and every event with EVENT_STREAMS=false: at most once, after the commit.
    const send = () => this.publisher.publish(namespace, rooms, envelope, route.except);
    if (options.tx) afterCommit(options.tx, send);
    else send();
    return envelope;
  }

  posSaleCompleted(sale: SaleCompletedPayload, options: EmitOptions) {
    return this.emit('posSaleCompleted', sale, options);
  }

  updateDailyTotals(totals: DailyTotalsPayload, options: EmitOptions) {
    return this.emit('posDailyTotalsUpdated', totals, options);
  }

  inventoryMovementCreated(movement: MovementPayload, options: EmitOptions) {
    return this.emit('inventoryMovementCreated', movement, options);
  }

  systemAlert({ level = 'ALERT', notificationId = null, ...alert }: SystemAlertInput, options: EmitOptions) {
    return this.emit(SYSTEM_EVENT_BY_LEVEL[level], { ...alert, notificationId, createdAt: new Date().toISOString() }, options);
  }

  sendMessage(roomId: string, message: Omit<ChatMessage, 'roomId'> & { companyId: string }, options: EmitOptions) {
    const { companyId, ...rest } = message;
    return this.emit('chatMessage', { companyId, roomId, message: { ...rest, roomId } }, options);
  }
}
