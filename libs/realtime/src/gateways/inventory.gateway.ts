import { WebSocketGateway } from '@nestjs/websockets';
import { NAMESPACES } from '@retail/realtime-protocol';
import { RealtimeGateway } from './realtime.gateway.js';

/** `/inventory`: stock movements and counts. Clients only listen (and subscribe to stores). */
@WebSocketGateway({ namespace: NAMESPACES.inventory.path })
export class InventoryGateway extends RealtimeGateway {
  protected readonly namespace = 'inventory';
}
