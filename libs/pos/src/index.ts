export { PosModule } from './pos.module.js';
export { CashAlerts } from './services/cash-alerts.js';
export { businessDate } from './domain/business-date.js';
export { CartsService } from './services/carts.service.js';
export { CashSessionsService } from './services/cash-sessions.service.js';
export { CheckoutService } from './services/checkout.service.js';
export { DailyTotalsService } from './services/daily-totals.service.js';
export { SalesService } from './services/sales.service.js';
