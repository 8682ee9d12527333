import { NamespaceGateway } from './namespace-gateway.js';

/** `/notifications`: alerts, warnings and info for the caller's company, stores and self. */
export class NotificationsGateway extends NamespaceGateway('notifications') {}
