import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { Idempotent } from '@retail/idempotency';
import {
  CountChangeSchema,
  CountLinePageSchema,
  CountLinesQuerySchema,
  CountSchema,
  CreateCountSchema,
  PutCountLinesSchema,
  type CountLinesQueryDto,
  type CreateCountDto,
  type PutCountLinesDto,
} from '../dto/count.dto.js';
import { CountsService, MAX_OPEN_COUNTS_PER_STORE } from '../services/counts.service.js';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('inventory/counts')
export class CountsController {
  constructor(private readonly counts: CountsService) {}

  @Post()
  @RequirePermissions('inventory:write')
  @ApiOperation({
    summary: "Open a count of a store; each line's expected quantity is the current stock. Answers its summary",
    description:
      'Without productIds, a full count: at most one open per store (409 full_count_open, details.countId the open one). ' +
      `A store has at most ${MAX_OPEN_COUNTS_PER_STORE} open counts (409 too_many_open_counts).`,
  })
  @ApiResponse({ status: 201, standardSchema: CountSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  create(@CurrentUser() user: Principal, @Body({ schema: CreateCountSchema }) body: CreateCountDto) {
    return this.counts.create(user, body);
  }

  @Get(':id')
  @RequirePermissions('inventory:read')
  @ApiOperation({ summary: 'A count with its summary' })
  @ApiResponse({ status: 200, standardSchema: CountSchema })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.counts.get(user, id);
  }

  @Get(':id/lines')
  @RequirePermissions('inventory:read')
  @ApiOperation({ summary: "A count's lines by sku, cursor-paged" })
  @ApiResponse({ status: 200, standardSchema: CountLinePageSchema })
  @ApiErrors(400, 401, 403, 404)
  lines(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Query({ schema: CountLinesQuerySchema }) query: CountLinesQueryDto,
  ) {
    return this.counts.lines(user, id, query);
  }

  @Put(':id/lines')
  @RequirePermissions('inventory:write')
  @ApiOperation({
    summary:
      'Set counted quantities of an open count as they are counted: each line keeps the stock at that moment, so close adds only what moved after it',
  })
  @ApiResponse({ status: 200, standardSchema: CountChangeSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  putLines(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: PutCountLinesSchema }) body: PutCountLinesDto,
  ) {
    return this.counts.putLines(user, id, body);
  }

  @Post(':id/close')
  @Idempotent()
  @HttpCode(200)
  @RequirePermissions('inventory:manage')
  @ApiOperation({
    summary:
      'Close a count: each counted line moves stock by (counted − stock when counted) as an ADJUSTMENT, never below zero; list them with GET /inventory/movements?countId=',
  })
  @ApiResponse({ status: 200, standardSchema: CountSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  close(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.counts.close(user, id);
  }
}
