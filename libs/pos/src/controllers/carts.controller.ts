import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import { Idempotent } from '@retail/idempotency';
import {
  AddPaymentSchema,
  CartSchema,
  CreateCartSchema,
  SetCartItemsSchema,
  type AddPaymentDto,
  type CreateCartDto,
  type SetCartItemsDto,
} from '../dto/cart.dto.js';
import { SaleSchema } from '../dto/sale.dto.js';
import { CartsService } from '../services/carts.service.js';
import { CheckoutService } from '../services/checkout.service.js';

/** Said of every command that drives a cart (see mayUseDevice in @retail/auth). */
const OWN_DEVICE = "Only from the cart's own device, or with pos:manage (403 device_forbidden).";

@ApiTags('pos')
@ApiBearerAuth()
@Controller('pos/carts')
export class CartsController {
  constructor(
    private readonly carts: CartsService,
    private readonly checkouts: CheckoutService,
  ) {}

  @Post()
  @Idempotent()
  @RequirePermissions('pos:sell')
  @ApiOperation({ summary: "Open a cart on the caller's device (a device may hold several: parked sales)" })
  @ApiResponse({ status: 201, standardSchema: CartSchema })
  @ApiErrors(400, 401, 403, 404)
  create(@CurrentUser() user: Principal, @Body({ schema: CreateCartSchema }) body: CreateCartDto) {
    return this.carts.create(user, body);
  }

  @Get(':id')
  @RequirePermissions('pos:read')
  @ApiOperation({ summary: 'A cart with its items, payments and totals' })
  @ApiResponse({ status: 200, standardSchema: CartSchema })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.carts.get(user, id);
  }

  @Patch(':id')
  @RequirePermissions('pos:sell')
  @ApiOperation({
    summary: `Replace the cart's items; answers the cart with its totals. 422 overpayment if card or other payments would exceed the new total. ${OWN_DEVICE}`,
  })
  @ApiResponse({ status: 200, standardSchema: CartSchema })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  setItems(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: SetCartItemsSchema }) body: SetCartItemsDto,
  ) {
    return this.carts.setItems(user, id, body);
  }

  @Post(':id/payments')
  @Idempotent()
  @RequirePermissions('pos:sell')
  @ApiOperation({ summary: `Take a payment; only cash may exceed what is due (the rest is change). ${OWN_DEVICE}` })
  @ApiResponse({ status: 201, standardSchema: CartSchema })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  addPayment(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: AddPaymentSchema }) body: AddPaymentDto,
  ) {
    return this.carts.addPayment(user, id, body);
  }

  @Post(':id/cancel')
  @Idempotent()
  @RequirePermissions('pos:sell')
  @ApiOperation({
    summary: `Cancel an open or paid cart, refunding each of its payments once (daily totals count refunds, not sales); no stock was taken. 409 cart_closed. ${OWN_DEVICE}`,
  })
  @ApiResponse({ status: 201, standardSchema: CartSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  cancel(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.carts.cancel(user, id);
  }

  @Post(':id/checkout')
  @Idempotent()
  @RequirePermissions('pos:sell')
  @ApiOperation({
    summary: `Complete the sale in one transaction: stock, movements, daily totals, drawer. 422 payment_insufficient, 409 insufficient_stock or cart_closed. ${OWN_DEVICE}`,
  })
  @ApiResponse({ status: 201, standardSchema: SaleSchema })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  checkout(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.checkouts.checkout(user, id);
  }
}
