import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { Idempotent } from '@retail/idempotency';
import {
  CreateMovementSchema,
  MovementPageSchema,
  MovementQuerySchema,
  MovementResultSchema,
  UpdateTransferSchema,
  type CreateMovementDto,
  type MovementQueryDto,
  type UpdateTransferDto,
} from '../dto/movement.dto.js';
import { MovementsService } from '../services/movements.service.js';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('inventory/movements')
export class MovementsController {
  constructor(private readonly movements: MovementsService) {}

  @Post()
  @Idempotent()
  @RequirePermissions('inventory:write')
  @ApiOperation({
    summary: 'Record a movement: IN, OUT or ADJUSTMENT (both need inventory:manage), or TRANSFER (takes the goods out of the source now)',
  })
  @ApiResponse({ status: 201, standardSchema: MovementResultSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  create(@CurrentUser() user: Principal, @Body({ schema: CreateMovementSchema }) body: CreateMovementDto) {
    return this.movements.create(user, body);
  }

  @Patch(':id')
  @Idempotent()
  @RequirePermissions('inventory:write')
  @ApiOperation({
    summary:
      'Move a transfer on: PENDING → IN_TRANSIT → RECEIVED (stocks the destination), or CANCELLED (returns the goods). The source dispatches and cancels, the destination receives: 403 wrong_transfer_end',
  })
  @ApiResponse({ status: 200, standardSchema: MovementResultSchema })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  updateTransfer(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: UpdateTransferSchema }) body: UpdateTransferDto,
  ) {
    return this.movements.updateTransfer(user, id, body);
  }

  @Get()
  @RequirePermissions('inventory:read')
  @ApiOperation({ summary: 'Movements, newest first, cursor-paged' })
  @ApiResponse({ status: 200, standardSchema: MovementPageSchema })
  @ApiErrors(400, 401, 403, 404)
  list(@CurrentUser() user: Principal, @Query({ schema: MovementQuerySchema }) query: MovementQueryDto) {
    return this.movements.list(user, query);
  }
}
