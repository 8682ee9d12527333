import type { z } from 'zod';
import {
  ChatHistoryCommand,
  ChatHistoryPayload,
  ChatJoinCommand,
  ChatMessagePayload,
  ChatSendCommand,
  ChatTypingCommand,
  ChatTypingPayload,
} from './schemas/chat.js';
import { CountPayload, MovementPayload } from './schemas/inventory.js';
import { AlertUpdatedPayload, SystemNotificationPayload, type NotificationLevel } from './schemas/notifications.js';
import {
  CartPayload,
  CartPaymentPayload,
  CatalogChangedPayload,
  DailyTotalsPayload,
  SaleCompletedPayload,
  SaleReturnedPayload,
} from './schemas/pos.js';
import { DeviceReportCommand, DeviceStatusPayload } from './schemas/presence.js';
import { RoomCommand } from './schemas/room-commands.js';
import { AuthRefreshCommand, SessionEndedPayload } from './schemas/session.js';
import { ResumeCommand, ResumeOkPayload, ResumeResetPayload, SessionReadyPayload } from './schemas/streams.js';

/** The four Socket.IO namespaces. */
export const NAMESPACES = {
  pos: { path: '/pos', permission: 'pos:read' },
  inventory: { path: '/inventory', permission: 'inventory:read' },
  notifications: { path: '/notifications', permission: 'notifications:read' },
  chat: { path: '/chat', permission: 'chat:use' },
} as const;
export type NamespaceKey = keyof typeof NAMESPACES;

interface EventDefinition {
  name: string;
  namespace: NamespaceKey;
  payload: z.ZodType;
  /** A stream event is persisted, gets a position in each of its rooms, and is replayed on resume. */
  stream: boolean;
  summary: string;
}

const event = <N extends string, S extends z.ZodType>(name: N, namespace: NamespaceKey, payload: S, summary: string) =>
  ({ name, namespace, payload, stream: true, summary }) as const satisfies EventDefinition;
/** Never persisted and never replayed; carries no positions. */
const ephemeral = <N extends string, S extends z.ZodType>(name: N, namespace: NamespaceKey, payload: S, summary: string) =>
  ({ name, namespace, payload, stream: false, summary }) as const satisfies EventDefinition;

/**
 * THE event catalog: every server-to-client event, its namespace and payload schema.
 * Gateways, services, AsyncAPI docs and tests all read names from here.
 */
export const EVENTS = {
  posCartUpdated: event(
    'pos.cart.updated',
    'pos',
    CartPayload,
    'A cart was opened, its items changed or it was cancelled. Sent to the device and its store only; a payment is pos.cart.payment, a checkout pos.sale.completed (with its cartId), never this besides.',
  ),
  posCartPayment: event(
    'pos.cart.payment',
    'pos',
    CartPaymentPayload,
    "A payment was taken on a cart, with the cart's new status and sums. Sent to the device and its store only.",
  ),
  posSaleCompleted: event(
    'pos.sale.completed',
    'pos',
    SaleCompletedPayload,
    'A sale was stored, with its lines and payments: checked out from a cart, or sent by a till (once, however often it was sent).',
  ),
  posSaleReturned: event(
    'pos.sale.returned',
    'pos',
    SaleReturnedPayload,
    'Goods of a sale came back: restocked, and the refunds counted in the daily totals of the return day.',
  ),
  posDailyTotalsUpdated: event('pos.daily-totals.updated', 'pos', DailyTotalsPayload, "The store's totals for its local day."),
  posCatalogChanged: event(
    'pos.catalog.changed',
    'pos',
    CatalogChangedPayload,
    "A product was created, changed or removed: tills fetch GET /pos/catalog?since= the version they hold. Sent to every store's room.",
  ),
  posDeviceStatus: event(
    'pos.device.status',
    'pos',
    DeviceStatusPayload,
    "A till went online or offline, to its store's room. Changes only: nothing per heartbeat or report, nothing for a reconnect within PRESENCE_GRACE_SECONDS.",
  ),
  inventoryMovementCreated: event(
    'inventory.movement.created',
    'inventory',
    MovementPayload,
    'A stock movement was recorded, with the resulting stock.',
  ),
  inventoryMovementUpdated: event(
    'inventory.movement.updated',
    'inventory',
    MovementPayload,
    'A transfer changed status, with the resulting stock.',
  ),
  inventoryCountUpdated: event('inventory.count.updated', 'inventory', CountPayload, 'A stock count session changed (lines or status).'),
  systemAlert: event('system.alert', 'notifications', SystemNotificationPayload, 'Something needs action now (level ALERT).'),
  systemWarning: event(
    'system.warning',
    'notifications',
    SystemNotificationPayload,
    'Something needs attention soon, e.g. low stock (level WARNING).',
  ),
  systemInfo: event('system.info', 'notifications', SystemNotificationPayload, 'For information (level INFO).'),
  systemAlertUpdated: event(
    'system.alert.updated',
    'notifications',
    AlertUpdatedPayload,
    "An alert's state or count changed: seen again, acknowledged, resolved (by hand or as its condition cleared), reopened or escalated. Sent to the alert's rooms; once escalated, to the company room too.",
  ),
  chatMessage: event('chat.message', 'chat', ChatMessagePayload, 'A message was posted in a chat room.'),
  chatTyping: ephemeral('chat.typing', 'chat', ChatTypingPayload, 'A member started or stopped typing. Not persisted.'),
  chatHistory: ephemeral('chat.history', 'chat', ChatHistoryPayload, 'The latest page of a room, sent to a socket when it joins the room.'),
} as const;

export type EventKey = keyof typeof EVENTS;
export type EventName = (typeof EVENTS)[EventKey]['name'];
export type EventPayload<K extends EventKey> = z.output<(typeof EVENTS)[K]['payload']>;

/** Client-to-server messages. Every one is acknowledged with `{ok:true,...}` or `{ok:false,error}`. */
export const COMMANDS = {
  subscribe: {
    name: 'subscribe',
    namespaces: ['pos', 'inventory', 'notifications', 'chat'],
    payload: RoomCommand,
    summary: "Join a room, e.g. workspace:{id}; acked with {room, position}, the room's head.",
  },
  unsubscribe: {
    name: 'unsubscribe',
    namespaces: ['pos', 'inventory', 'notifications', 'chat'],
    payload: RoomCommand,
    summary: 'Leave a room.',
  },
  resume: {
    name: 'resume',
    namespaces: ['pos', 'inventory', 'notifications', 'chat'],
    payload: ResumeCommand,
    summary: 'Replay what was missed in rooms already joined, from {offset, epoch} each; acked {ok:true}, then the replay and resume.ok.',
  },
  authRefresh: {
    name: 'auth.refresh',
    namespaces: ['pos', 'inventory', 'notifications', 'chat'],
    payload: AuthRefreshCommand,
    summary:
      'Extend the session with a fresh access token of the same user and device, before the current one expires; acked {expiresAt}. No reconnect.',
  },
  posDeviceReport: {
    name: 'pos.device.report',
    namespaces: ['pos'],
    payload: DeviceReportCommand,
    summary:
      "A till's own report: {appVersion, pendingSales, oldestPendingAt, catalogVersion}, shown in GET /workspaces/:id/devices; acked {}. Sockets of a till only.",
  },
  chatJoin: {
    name: 'chat.join',
    namespaces: ['chat'],
    payload: ChatJoinCommand,
    summary: 'Join chat:{roomId} (members only); the latest page arrives as chat.history.',
  },
  chatMessage: {
    name: 'chat.message',
    namespaces: ['chat'],
    payload: ChatSendCommand,
    summary: 'Post a message; a retried clientMessageId is stored once and acked with the original.',
  },
  chatTyping: {
    name: 'chat.typing',
    namespaces: ['chat'],
    payload: ChatTypingCommand,
    summary: 'Typing indicator for the other members; throttled, not persisted.',
  },
  chatHistory: {
    name: 'chat.history',
    namespaces: ['chat'],
    payload: ChatHistoryCommand,
    summary: 'A page of history, newest first; acked with {ok, items, nextCursor}.',
  },
} as const satisfies Record<string, { name: string; namespaces: readonly NamespaceKey[]; payload: z.ZodType; summary: string }>;

export type CommandKey = keyof typeof COMMANDS;

/**
 * Messages about the stream itself, on every namespace. They are not envelopes and never carry
 * positions: they tell a client where it stands.
 */
export const CONTROL_EVENTS = {
  sessionReady: {
    name: 'session.ready',
    payload: SessionReadyPayload,
    summary: 'Right after connect: the head {offset, epoch} of every room the socket joined, so it can resume later.',
  },
  resumeOk: {
    name: 'resume.ok',
    payload: ResumeOkPayload,
    summary: 'The replay is over: the position each room was resumed to, and the rooms refused (no longer visible).',
  },
  resumeReset: {
    name: 'resume.reset',
    payload: ResumeResetPayload,
    summary:
      'This room cannot be replayed (epoch_changed, retention_exceeded, replay_limited): reload its state over REST, then go on from position.',
  },
  sessionEnded: {
    name: 'session.ended',
    payload: SessionEndedPayload,
    summary:
      'Just before the server disconnects the socket: why (token_expired, token_revoked, slow_consumer, server_shutdown, access_unverifiable).',
  },
} as const satisfies Record<string, { name: string; payload: z.ZodType; summary: string }>;
export type ControlEventKey = keyof typeof CONTROL_EVENTS;

/** The one place an alert's level picks its event. */
export const SYSTEM_EVENT_BY_LEVEL = {
  ALERT: 'systemAlert',
  WARNING: 'systemWarning',
  INFO: 'systemInfo',
} as const satisfies Record<NotificationLevel, EventKey>;
