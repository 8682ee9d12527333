import { Injectable } from '@nestjs/common';
import type { CartPayload, CartPaymentPayload, DailyTotalsPayload, SaleCompletedPayload } from '../dto/pos.dto.js';
import { EventDispatcher, type EmitOptions } from '../publishing/event-dispatcher.js';
import { Rooms } from '../rooms/rooms.js';

/**
 * POS routing: cart events stay with the device and its store; sales and totals also reach
 * the chain-wide (company) view. A cashier never joins another store's room.
 */
@Injectable()
export class PosEventsService {
  constructor(private readonly events: EventDispatcher) {}

  cartUpdated(cart: CartPayload, options?: EmitOptions) {
    return this.events.dispatch('posCartUpdated', cart, cart, deviceAndStore(cart), options);
  }

  cartPayment(payment: CartPaymentPayload, options?: EmitOptions) {
    return this.events.dispatch('posCartPayment', payment, payment, deviceAndStore(payment), options);
  }

  saleCompleted(sale: SaleCompletedPayload, options?: EmitOptions) {
    return this.events.dispatch('posSaleCompleted', sale, sale, [...deviceAndStore(sale), Rooms.company(sale.companyId)], options);
  }

  dailyTotalsUpdated(totals: DailyTotalsPayload, options?: EmitOptions) {
    const rooms = [Rooms.workspace(totals.workspaceId), Rooms.company(totals.companyId)];
    return this.events.dispatch('posDailyTotalsUpdated', totals, totals, rooms, options);
  }
}

const deviceAndStore = (p: { deviceId: string; workspaceId: string }) => [Rooms.pos(p.deviceId), Rooms.workspace(p.workspaceId)];
