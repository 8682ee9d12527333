export type { Ack, WireError } from './acks.js';
export {
  COMMANDS,
  CONTROL_EVENTS,
  EVENTS,
  NAMESPACES,
  SYSTEM_EVENT_BY_LEVEL,
  type CommandKey,
  type ControlEventKey,
  type EventKey,
  type EventName,
  type EventPayload,
  type NamespaceKey,
} from './catalog.js';
export { createEnvelope, type RealtimeEnvelope } from './envelope.js';
export { parseRoom, Rooms, type RoomKind } from './rooms.js';
export * from './schemas/chat.js';
export * from './schemas/common.js';
export * from './schemas/inventory.js';
export * from './schemas/notifications.js';
export * from './schemas/pos.js';
export * from './schemas/presence.js';
export * from './schemas/room-commands.js';
export * from './schemas/session.js';
export * from './schemas/streams.js';
export * from './schemas/till-sales.js';
export type { ClientToServerEvents, ServerToClientEvents } from './socket-events.js';
