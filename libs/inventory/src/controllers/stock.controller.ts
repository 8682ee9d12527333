import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors } from '@retail/common';
import {
  SetMinQuantitySchema,
  StockPageSchema,
  StockQuerySchema,
  StockRowSchema,
  type SetMinQuantityDto,
  type StockQueryDto,
} from '../dto/stock.dto.js';
import { StockService } from '../services/stock.service.js';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('inventory/stock')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  @RequirePermissions('inventory:read')
  @ApiOperation({ summary: 'Stock per store and product, with its low-stock threshold; by sku then store, cursor-paged' })
  @ApiResponse({ status: 200, standardSchema: StockPageSchema })
  @ApiErrors(400, 401, 403, 404)
  list(@CurrentUser() user: Principal, @Query({ schema: StockQuerySchema }) query: StockQueryDto) {
    return this.stock.list(user, query);
  }

  @Patch()
  @RequirePermissions('inventory:manage')
  @ApiOperation({ summary: "Set a product's low-stock threshold in a store" })
  @ApiResponse({ status: 200, standardSchema: StockRowSchema })
  @ApiErrors(400, 401, 403, 404)
  setMinQuantity(@CurrentUser() user: Principal, @Body({ schema: SetMinQuantitySchema }) body: SetMinQuantityDto) {
    return this.stock.setMinQuantity(user, body);
  }
}
