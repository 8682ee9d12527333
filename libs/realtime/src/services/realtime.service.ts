import { Injectable } from '@nestjs/common';
import type { ChatMessage } from '../dto/chat.dto.js';
import type { CountPayload, MovementPayload } from '../dto/inventory.dto.js';
import type { CartPayload, CartPaymentPayload, DailyTotalsPayload, SaleCompletedPayload } from '../dto/pos.dto.js';
import type { EmitOptions } from '../publishing/event-dispatcher.js';
import { RealtimeChatService } from './chat.service.js';
import { InventoryEventsService } from './inventory-events.service.js';
import { RealtimeNotificationsService, type SystemNotificationInput } from './notifications.service.js';
import { PosEventsService } from './pos-events.service.js';

/**
 * The integration API for domain modules. They call these methods and never see Socket.IO,
 * rooms or Redis. Pass `{ tx }` to send an event only once the transaction commits.
 * Every method returns the envelope it sent (or will send), whose `id` identifies the event.
 */
@Injectable()
export class RealtimeService {
  constructor(
    private readonly pos: PosEventsService,
    private readonly inventory: InventoryEventsService,
    private readonly notifications: RealtimeNotificationsService,
    private readonly chat: RealtimeChatService,
  ) {}

  // POS
  cartUpdated(cart: CartPayload, options?: EmitOptions) {
    return this.pos.cartUpdated(cart, options);
  }
  cartPayment(payment: CartPaymentPayload, options?: EmitOptions) {
    return this.pos.cartPayment(payment, options);
  }
  posSaleCompleted(sale: SaleCompletedPayload, options?: EmitOptions) {
    return this.pos.saleCompleted(sale, options);
  }
  updateDailyTotals(totals: DailyTotalsPayload, options?: EmitOptions) {
    return this.pos.dailyTotalsUpdated(totals, options);
  }

  // Inventory
  inventoryMovementCreated(movement: MovementPayload, options?: EmitOptions) {
    return this.inventory.movementCreated(movement, options);
  }
  inventoryMovementUpdated(movement: MovementPayload, options?: EmitOptions) {
    return this.inventory.movementUpdated(movement, options);
  }
  inventoryCountUpdated(count: CountPayload, options?: EmitOptions) {
    return this.inventory.countUpdated(count, options);
  }

  // Notifications
  systemAlert(alert: SystemNotificationInput, options?: EmitOptions) {
    return this.notifications.notify('ALERT', alert, options);
  }
  systemWarning(warning: SystemNotificationInput, options?: EmitOptions) {
    return this.notifications.notify('WARNING', warning, options);
  }
  systemInfo(info: SystemNotificationInput, options?: EmitOptions) {
    return this.notifications.notify('INFO', info, options);
  }

  // Chat
  sendMessage(roomId: string, message: Omit<ChatMessage, 'roomId'> & { companyId: string }, options?: EmitOptions) {
    const { companyId, ...rest } = message;
    return this.chat.message(companyId, { ...rest, roomId }, options);
  }
  chatTyping(typing: { companyId: string; roomId: string; userId: string; isTyping: boolean }) {
    return this.chat.typing(typing.companyId, typing.roomId, typing.userId, typing.isTyping);
  }
}
