export { PosModule } from './pos.module.js';
export { CashAlerts } from './services/cash-alerts.js';
