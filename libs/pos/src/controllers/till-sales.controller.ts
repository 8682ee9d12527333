import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { DeviceSyncState, SaleReturn, SaleReturnRequest, SaleSyncResponse, TillSale } from '@retail/realtime-protocol';
import { LooseTillSaleSyncSchema, SaleSchema, type SaleReturnDto, type TillSaleDto } from '../dto/sale.dto.js';
import { SaleReturnsService } from '../services/sale-returns.service.js';
import { SalesService } from '../services/sales.service.js';
import { TillSalesService } from '../services/till-sales.service.js';

/** 201 when stored now, 200 when this id was stored before with the same content. */
const createdOrReplayed = <T>(response: Response, created: boolean, body: T) => {
  response.status(created ? 201 : 200);
  return body;
};

/**
 * Sales a till made itself, sent whole: online as they happen, or uploaded after an outage. The
 * till names each sale (and each return) with its own id, so every call is safe to retry.
 */
@ApiTags('pos')
@ApiBearerAuth()
@Controller('pos')
export class TillSalesController {
  constructor(
    private readonly tillSales: TillSalesService,
    private readonly returns: SaleReturnsService,
    private readonly sales: SalesService,
  ) {}

  @Post('sales')
  @RequirePermissions('pos:sell')
  @ApiOperation({
    summary: 'Store a sale the till made, from the till it was made on (token deviceId); safe to retry with the same id',
    description:
      '201 with the stored sale; 200 with it when that id was stored before with the same content (nothing counted twice); ' +
      '409 sale_conflict when it was stored with other content; 422 payment_insufficient, overpayment, occurred_in_future, sale_too_old, ' +
      'unknown_product, cash_session_unknown; 409 sequence_taken. Never refused for stock: stock may go below zero (a warning alert). ' +
      "The sale counts on the store's local day of occurredAt.",
  })
  @ApiResponse({ status: 201, standardSchema: SaleSchema })
  @ApiResponse({ status: 200, standardSchema: SaleSchema })
  @ApiErrors(400, 401, 403, 409, 422)
  async record(
    @CurrentUser() user: Principal,
    @Body({ schema: TillSale }) body: TillSaleDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { created, sale } = await this.tillSales.recordOne(user, body);
    return createdOrReplayed(response, created, sale);
  }

  @Post('sales/sync')
  @HttpCode(200)
  @RequirePermissions('pos:sell')
  @ApiOperation({
    summary: "Upload up to 500 of the till's sales (each a TillSale) after an outage; every sale gets its own result, in order",
    description:
      'Each result is accepted (stored now), duplicate (stored before, same content), conflict (that id, other content) or rejected ' +
      '(with error.code). One bad sale never blocks the others. The same batch sent twice, even at once through two replicas, stores ' +
      'and counts each sale once.',
  })
  @ApiResponse({ status: 200, standardSchema: SaleSyncResponse })
  @ApiErrors(400, 401, 403)
  async sync(@CurrentUser() user: Principal, @Body({ schema: LooseTillSaleSyncSchema }) body: { sales: unknown[] }) {
    return { results: await this.tillSales.sync(user, body.sales) };
  }

  @Post('sales/:id/returns')
  @RequirePermissions('pos:sell')
  @ApiOperation({
    summary: 'Take goods of a sale back: restocked, refunds counted on the return day; safe to retry with the same return id',
    description:
      '201 with the return; 200 when that id was stored before with the same content; 409 return_conflict when with other content; ' +
      '409 return_exceeds_sale past what is left to return (also when returns race); 422 refund_exceeds_return, return_wrong_store, ' +
      "drawer_cash_insufficient (a cash refund above what the till's open drawer holds).",
  })
  @ApiResponse({ status: 201, standardSchema: SaleReturn })
  @ApiResponse({ status: 200, standardSchema: SaleReturn })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async saleReturn(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: SaleReturnRequest }) body: SaleReturnDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { created, saleReturn } = await this.returns.record(user, id, body);
    return createdOrReplayed(response, created, saleReturn);
  }

  @Get('devices/:id/sync-state')
  @RequirePermissions('pos:read')
  @ApiOperation({ summary: "Where a till's receipt counter stands on the server: the last number, the holes, the latest sale" })
  @ApiResponse({ status: 200, standardSchema: DeviceSyncState })
  @ApiErrors(400, 401, 403, 404)
  syncState(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.sales.syncState(user, id);
  }
}
