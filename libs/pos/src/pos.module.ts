import { Module } from '@nestjs/common';
import { NotificationsModule } from '@retail/notifications';
import { InventoryModule } from '@retail/inventory';
import { WorkspacesModule } from '@retail/workspaces';
import { CartsController } from './controllers/carts.controller.js';
import { CashSessionsController } from './controllers/cash-sessions.controller.js';
import { SalesController } from './controllers/sales.controller.js';
import { CartsService } from './services/carts.service.js';
import { CashAlerts } from './services/cash-alerts.js';
import { CashSessionsService } from './services/cash-sessions.service.js';
import { CheckoutService } from './services/checkout.service.js';
import { DailyTotalsService } from './services/daily-totals.service.js';
import { PosAccess } from './services/pos-access.js';
import { SalesService } from './services/sales.service.js';

/** Carts, payments, checkout, sales, daily totals and cash drawers. Stock goes through the inventory ledger. */
@Module({
  imports: [InventoryModule, WorkspacesModule, NotificationsModule],
  controllers: [CartsController, SalesController, CashSessionsController],
  providers: [PosAccess, CartsService, CheckoutService, SalesService, DailyTotalsService, CashSessionsService, CashAlerts],
})
export class PosModule {}
