import { NamespaceGateway } from './namespace-gateway.js';

/** `/inventory`: stock movements and counts. Clients only listen (and subscribe to stores). */
export class InventoryGateway extends NamespaceGateway('inventory') {}
