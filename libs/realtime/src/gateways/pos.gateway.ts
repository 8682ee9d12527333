import { WebSocketGateway } from '@nestjs/websockets';
import { NAMESPACES } from '@retail/realtime-protocol';
import { RealtimeGateway } from './realtime.gateway.js';

/** `/pos`: carts, payments, sales and daily totals. Clients only listen (and subscribe to stores). */
@WebSocketGateway({ namespace: NAMESPACES.pos.path })
export class PosGateway extends RealtimeGateway {
  protected readonly namespace = 'pos';
}
