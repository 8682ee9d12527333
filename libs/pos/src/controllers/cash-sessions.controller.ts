import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { Idempotent } from '@retail/idempotency';
import {
  CashSessionSchema,
  CloseCashSessionSchema,
  OpenCashSessionSchema,
  type CloseCashSessionDto,
  type OpenCashSessionDto,
} from '../dto/cash-session.dto.js';
import { CashSessionsService } from '../services/cash-sessions.service.js';

@ApiTags('pos')
@ApiBearerAuth()
@Controller('pos/cash-sessions')
export class CashSessionsController {
  constructor(private readonly sessions: CashSessionsService) {}

  @Post()
  @Idempotent()
  @RequirePermissions('pos:sell')
  @ApiOperation({ summary: "Open a device's drawer with its float and cash limit; one open drawer per device" })
  @ApiResponse({ status: 201, standardSchema: CashSessionSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  open(@CurrentUser() user: Principal, @Body({ schema: OpenCashSessionSchema }) body: OpenCashSessionDto) {
    return this.sessions.open(user, body);
  }

  @Get(':id')
  @RequirePermissions('pos:read')
  @ApiOperation({ summary: 'A drawer: its float, expected and counted cash, and the late sales it counts apart' })
  @ApiResponse({ status: 200, standardSchema: CashSessionSchema })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.sessions.get(user, id);
  }

  @Post(':id/close')
  @Idempotent()
  @RequirePermissions('pos:sell')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a drawer, optionally with the cash counted in it' })
  @ApiResponse({ status: 200, standardSchema: CashSessionSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  close(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: CloseCashSessionSchema }) body: CloseCashSessionDto,
  ) {
    return this.sessions.close(user, id, body);
  }
}
