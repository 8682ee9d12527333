import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequirePermissions, type Principal } from '@retail/auth';
import { ApiErrors, Id } from '@retail/common';
import {
  CreateUserSchema,
  UpdateUserSchema,
  UserPageSchema,
  UserSchema,
  UsersQuerySchema,
  type CreateUserDto,
  type UpdateUserDto,
  type UsersQueryDto,
} from '../dto/user.dto.js';
import { UsersService } from '../services/users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@RequirePermissions('users:manage')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: "The company's users, newest first, cursor-paged" })
  @ApiResponse({ status: 200, standardSchema: UserPageSchema })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() admin: Principal, @Query({ schema: UsersQuerySchema }) query: UsersQueryDto) {
    return this.users.list(admin, query);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a user of the company with a role, a password and their stores',
    description: "The password is hashed in the replica's admin lane; while it is full: 503 admin_hashing_busy with Retry-After.",
  })
  @ApiResponse({ status: 201, standardSchema: UserSchema })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  create(@CurrentUser() admin: Principal, @Body({ schema: CreateUserSchema }) body: CreateUserDto) {
    return this.users.create(admin, body);
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a user's role or stores, or disable them; takes effect at once, on HTTP and on live sockets",
  })
  @ApiResponse({ status: 200, standardSchema: UserSchema })
  @ApiErrors(400, 401, 403, 404, 422)
  update(
    @CurrentUser() admin: Principal,
    @Param('id', { schema: Id }) id: string,
    @Body({ schema: UpdateUserSchema }) body: UpdateUserDto,
  ) {
    return this.users.update(admin, id, body);
  }
}
