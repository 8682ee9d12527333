import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@retail/common';
import { CurrentUser, Public } from '../decorators/auth.decorators.js';
import { LoginSchema, MeResponseSchema, TokenResponseSchema, type LoginDto } from '../dto/auth.dto.js';
import type { Principal } from '../principal.js';
import { AuthService } from '../services/auth.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password (and optionally a POS device) for an access token' })
  @ApiResponse({ status: 200, standardSchema: TokenResponseSchema })
  @ApiErrors(400, 401, 403, 429)
  login(@Body({ schema: LoginSchema }) body: LoginDto, @Ip() ip: string) {
    return this.auth.login(body, ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller, as the token describes them' })
  @ApiResponse({ status: 200, standardSchema: MeResponseSchema })
  @ApiErrors(401)
  me(@CurrentUser() user: Principal) {
    return this.auth.me(user);
  }
}
