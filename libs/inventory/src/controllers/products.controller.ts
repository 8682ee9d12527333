import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import {
  CreateProductSchema,
  ProductPageSchema,
  ProductQuerySchema,
  ProductSchema,
  UpdateProductSchema,
  type CreateProductDto,
  type ProductQueryDto,
  type UpdateProductDto,
} from '../dto/product.dto.js';
import { ProductsService } from '../services/products.service.js';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('inventory/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @RequirePermissions('inventory:read')
  @ApiOperation({ summary: "The company's products, by sku, cursor-paged" })
  @ApiResponse({ status: 200, standardSchema: ProductPageSchema })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: Principal, @Query({ schema: ProductQuerySchema }) query: ProductQueryDto) {
    return this.products.list(user, query);
  }

  @Post()
  @RequirePermissions('catalog:manage')
  @ApiOperation({ summary: 'Create a product (price in integer minor units); the catalog is chain-wide: ADMIN only (catalog:manage)' })
  @ApiResponse({ status: 201, standardSchema: ProductSchema })
  @ApiErrors(400, 401, 403, 409)
  create(@CurrentUser() user: Principal, @Body({ schema: CreateProductSchema }) body: CreateProductDto) {
    return this.products.create(user, body);
  }

  @Patch(':id')
  @RequirePermissions('catalog:manage')
  @ApiOperation({
    summary:
      'Change a product, its price included, in every store; past sales keep the name and price they were sold with. ADMIN only (catalog:manage)',
  })
  @ApiResponse({ status: 200, standardSchema: ProductSchema })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @CurrentUser() user: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: UpdateProductSchema }) body: UpdateProductDto,
  ) {
    return this.products.update(user, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('catalog:manage')
  @ApiOperation({
    summary:
      'Remove a product from the catalog in every store; its sales, movements and stock stay as history, and tills see it under removed. ADMIN only (catalog:manage)',
  })
  @ApiResponse({ status: 204 })
  @ApiErrors(400, 401, 403, 404)
  remove(@CurrentUser() user: Principal, @Param('id', { schema: Id }) id: string) {
    return this.products.remove(user, id);
  }
}
