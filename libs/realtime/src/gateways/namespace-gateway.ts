import { WebSocketGateway } from '@nestjs/websockets';
import { NAMESPACES, type NamespaceKey } from '../events/catalog.js';
import { GatewaySupport } from './gateway-support.service.js';
import { RealtimeGateway } from './realtime.gateway.js';

/** A gateway class bound to one namespace of the catalog. */
export function NamespaceGateway(key: NamespaceKey) {
  @WebSocketGateway({ namespace: NAMESPACES[key].path })
  class Gateway extends RealtimeGateway {
    protected readonly namespace = key;

    constructor(support: GatewaySupport) {
      super(support);
    }
  }
  return Gateway;
}
