import { NamespaceGateway } from './namespace-gateway.js';

/** `/pos`: carts, payments, sales and daily totals. Clients only listen (and subscribe to stores). */
export class PosGateway extends NamespaceGateway('pos') {}
