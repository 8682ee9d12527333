import { Module } from '@nestjs/common';
import { NotificationsModule } from '@retail/notifications';
import { InventoryModule } from '@retail/inventory';
import { WorkspacesModule } from '@retail/workspaces';
import { CartsController } from './controllers/carts.controller.js';
import { CashSessionsController } from './controllers/cash-sessions.controller.js';
import { CatalogController } from './controllers/catalog.controller.js';
import { SalesController } from './controllers/sales.controller.js';
import { TillSalesController } from './controllers/till-sales.controller.js';
import { CartsService } from './services/carts.service.js';
import { CashAlerts } from './services/cash-alerts.js';
import { CashSessionsService } from './services/cash-sessions.service.js';
import { CheckoutService } from './services/checkout.service.js';
import { DailyTotalsService } from './services/daily-totals.service.js';
import { PosAccess } from './services/pos-access.js';
import { SaleReturnsService } from './services/sale-returns.service.js';
import { SalesService } from './services/sales.service.js';
import { TillSaleWriter } from './services/till-sale-writer.js';
import { TillSalesService } from './services/till-sales.service.js';

/**
 * Sales, two ways: server-side carts (items, payments, checkout) for customer displays and parked
 * sales, and whole sales made on the till (one call, or a batch after an outage), with returns and
 * the catalog tills sell from. Daily totals and cash drawers for both. Stock goes through the inventory ledger.
 */
@Module({
  imports: [InventoryModule, WorkspacesModule, NotificationsModule],
  controllers: [CartsController, SalesController, TillSalesController, CatalogController, CashSessionsController],
  providers: [
    PosAccess,
    CartsService,
    CheckoutService,
    TillSalesService,
    TillSaleWriter,
    SaleReturnsService,
    SalesService,
    DailyTotalsService,
    CashSessionsService,
    CashAlerts,
  ],
})
export class PosModule {}
