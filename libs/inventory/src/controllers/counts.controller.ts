import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors } from '@retail/common';
import { Idempotent } from '@retail/idempotency';
import {
  ClosedCountSchema,
  CountSchema,
  CreateCountSchema,
  PutCountLinesSchema,
  type CreateCountDto,
  type PutCountLinesDto,
} from '../dto/count.dto.js';
import { CountsService } from '../services/counts.service.js';

const CountId = z.uuid();

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('inventory/counts')
export class CountsController {
  constructor(private readonly counts: CountsService) {}

  @Post()
  @RequirePermissions('inventory:write')
  @ApiOperation({ summary: "Open a count of a store; each line's expected quantity is the current stock" })
  @ApiResponse({ status: 201, standardSchema: CountSchema })
  @ApiErrors(400, 401, 403, 404)
  create(@CurrentUser() user: Principal, @Body({ schema: CreateCountSchema }) body: CreateCountDto) {
    return this.counts.create(user, body);
  }

  @Get(':id')
  @RequirePermissions('inventory:read')
  @ApiOperation({ summary: 'A count with its lines' })
  @ApiResponse({ status: 200, standardSchema: CountSchema })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: Principal, @Param('id', { schema: CountId }) id: string) {
    return this.counts.get(user, id);
  }

  @Put(':id/lines')
  @RequirePermissions('inventory:write')
  @ApiOperation({ summary: 'Set counted quantities of an open count' })
  @ApiResponse({ status: 200, standardSchema: CountSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  putLines(
    @CurrentUser() user: Principal,
    @Param('id', { schema: CountId }) id: string,
    @Body({ schema: PutCountLinesSchema }) body: PutCountLinesDto,
  ) {
    return this.counts.putLines(user, id, body);
  }

  @Post(':id/close')
  @Idempotent()
  @HttpCode(200)
  @RequirePermissions('inventory:manage')
  @ApiOperation({ summary: 'Close a count, applying every counted difference as an ADJUSTMENT movement' })
  @ApiResponse({ status: 200, standardSchema: ClosedCountSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  close(@CurrentUser() user: Principal, @Param('id', { schema: CountId }) id: string) {
    return this.counts.close(user, id);
  }
}
