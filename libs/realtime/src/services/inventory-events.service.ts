import { Injectable } from '@nestjs/common';
import type { CountPayload, MovementPayload } from '../dto/inventory.dto.js';
import { EventDispatcher, type EmitOptions } from '../publishing/event-dispatcher.js';
import { Rooms } from '../rooms/rooms.js';

/** Inventory routing: every store a movement touches (both ends of a transfer) and the company. */
@Injectable()
export class InventoryEventsService {
  constructor(private readonly events: EventDispatcher) {}

  movementCreated(payload: MovementPayload, options?: EmitOptions) {
    return this.events.dispatch('inventoryMovementCreated', movementScope(payload), payload, movementRooms(payload), options);
  }

  movementUpdated(payload: MovementPayload, options?: EmitOptions) {
    return this.events.dispatch('inventoryMovementUpdated', movementScope(payload), payload, movementRooms(payload), options);
  }

  countUpdated(payload: CountPayload, options?: EmitOptions) {
    const rooms = [Rooms.workspace(payload.workspaceId), Rooms.company(payload.companyId)];
    return this.events.dispatch('inventoryCountUpdated', payload, payload, rooms, options);
  }
}

function storesOf({ movement }: MovementPayload): string[] {
  return [movement.workspaceId, movement.fromWorkspaceId, movement.toWorkspaceId].filter((id): id is string => Boolean(id));
}

function movementScope(payload: MovementPayload) {
  const stores = storesOf(payload);
  // A transfer spans two stores, so its envelope names none in particular.
  return { companyId: payload.companyId, workspaceId: stores.length === 1 ? stores[0] : undefined };
}

const movementRooms = (payload: MovementPayload) => [...storesOf(payload).map(Rooms.workspace), Rooms.company(payload.companyId)];
