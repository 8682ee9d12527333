export { InventoryModule } from './inventory.module.js';
export { ProductsService } from './services/products.service.js';
export type { ProductRef } from './domain/product-ref.js';
export { StockLedger, type LedgerEntry, type MovementInput, type SaleToRecord, type TillSalesTaken } from './services/stock-ledger.js';
export { StockAlerts, type StockCondition } from './services/stock-alerts.js';
export { CountsService, MAX_OPEN_COUNTS_PER_STORE } from './services/counts.service.js';
export { MovementsService } from './services/movements.service.js';
export { StockService } from './services/stock.service.js';
