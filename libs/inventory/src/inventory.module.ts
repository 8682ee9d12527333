import { Module } from '@nestjs/common';
import { NotificationsModule } from '@retail/notifications';
import { WorkspacesModule } from '@retail/workspaces';
import { CountsController } from './controllers/counts.controller.js';
import { MovementsController } from './controllers/movements.controller.js';
import { ProductsController } from './controllers/products.controller.js';
import { StockController } from './controllers/stock.controller.js';
import { CountsService } from './services/counts.service.js';
import { MovementsService } from './services/movements.service.js';
import { ProductsService } from './services/products.service.js';
import { StockAlerts } from './services/stock-alerts.js';
import { StockLedger } from './services/stock-ledger.js';
import { StockService } from './services/stock.service.js';

/** Products and their catalog, stock, movements and counts. Exports the ledger for the SALE and RETURN movements of POS. */
@Module({
  imports: [WorkspacesModule, NotificationsModule],
  controllers: [ProductsController, StockController, MovementsController, CountsController],
  providers: [ProductsService, StockService, MovementsService, CountsService, StockLedger, StockAlerts],
  exports: [ProductsService, StockLedger],
})
export class InventoryModule {}
