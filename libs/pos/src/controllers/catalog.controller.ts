import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors } from '@retail/common';
import { ProductsService } from '@retail/inventory';
import { Catalog } from '@retail/realtime-protocol';
import { WorkspacesService } from '@retail/workspaces';
import { CatalogQuerySchema, type CatalogQueryDto } from '../dto/sale.dto.js';

@ApiTags('pos')
@ApiBearerAuth()
@Controller('pos/catalog')
export class CatalogController {
  constructor(
    private readonly products: ProductsService,
    private readonly workspaces: WorkspacesService,
  ) {}

  @Get()
  @RequirePermissions('pos:read')
  @ApiOperation({
    summary: 'What a till sells from: the whole catalog, or with since= only what changed after the version it holds',
    description:
      'version is opaque and only grows. A product created, changed, deactivated or removed sends pos.catalog.changed {version} ' +
      "to the company's catalog room, which every /pos socket joins.",
  })
  @ApiResponse({ status: 200, standardSchema: Catalog })
  @ApiErrors(400, 401, 403, 404)
  async catalog(@CurrentUser() user: Principal, @Query({ schema: CatalogQuerySchema }) { workspaceId, since }: CatalogQueryDto) {
    if (workspaceId) await this.workspaces.assertVisible(user, workspaceId);
    return this.products.catalog(user.companyId, since);
  }
}
