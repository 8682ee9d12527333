import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import {
  DailyTotalsQuerySchema,
  DailyTotalsSchema,
  SalePageSchema,
  SaleSchema,
  SalesQuerySchema,
  type DailyTotalsQueryDto,
  type SalesQueryDto,
} from '../dto/sale.dto.js';
import { DailyTotalsService } from '../services/daily-totals.service.js';
import { SalesService } from '../services/sales.service.js';

@ApiTags('pos')
@ApiBearerAuth()
@Controller('pos')
@RequirePermissions('pos:read')
export class SalesController {
  constructor(
    private readonly sales: SalesService,
    private readonly totals: DailyTotalsService,
  ) {}

  @Get('sales')
  @ApiOperation({ summary: 'Completed sales with their lines and payments, newest first, cursor-paged' })
  @ApiResponse({ status: 200, standardSchema: SalePageSchema })
  @ApiErrors(400, 401, 403, 404)
  list(@CurrentUser() user: Principal, @Query({ schema: SalesQuerySchema }) query: SalesQueryDto) {
    return this.sales.list(user, query);
  }

  @Get('sales/:id')
  @ApiOperation({ summary: 'One sale with its lines (and what of them was returned) and payments' })
  @ApiResponse({ status: 200, standardSchema: SaleSchema })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.sales.get(user, id);
  }

  @Get('daily-totals')
  @ApiOperation({ summary: "A store's totals for one local day (its time zone): sales, gross, amounts by method, and refunds" })
  @ApiResponse({ status: 200, standardSchema: DailyTotalsSchema })
  @ApiErrors(400, 401, 403, 404)
  dailyTotals(@CurrentUser() user: Principal, @Query({ schema: DailyTotalsQuerySchema }) query: DailyTotalsQueryDto) {
    return this.totals.get(user, query);
  }
}
