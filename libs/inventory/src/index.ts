export { InventoryModule } from './inventory.module.js';
export { ProductsService } from './services/products.service.js';
export { StockLedger, type LedgerEntry, type MovementInput, type ProductRef } from './services/stock-ledger.service.js';
export { StockAlerts, type LowStockCrossing } from './services/stock-alerts.js';
