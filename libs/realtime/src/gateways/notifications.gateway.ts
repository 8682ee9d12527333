import { WebSocketGateway } from '@nestjs/websockets';
import { NAMESPACES } from '@retail/realtime-protocol';
import { RealtimeGateway } from './realtime.gateway.js';

/** `/notifications`: alerts, warnings and info for the caller's company, stores and self. */
@WebSocketGateway({ namespace: NAMESPACES.notifications.path })
export class NotificationsGateway extends RealtimeGateway {
  protected readonly namespace = 'notifications';
}
