import { Body, Controller, Get, Headers, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '@retail/common';
import { CurrentUser, Public } from '../decorators/auth.decorators.js';
import { LoginSchema, MeResponseSchema, RefreshSchema, TokenResponseSchema, type LoginDto, type RefreshDto } from '../dto/auth.dto.js';
import { LOGIN_DEVICE_COOKIE, LoginDeviceCookies, readCookie } from '../login/login-device-cookies.js';
import type { Principal } from '../principal.js';
import { AuthService } from '../services/auth.service.js';
import { SessionService } from '../services/session.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly deviceCookies: LoginDeviceCookies,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password (and optionally a POS device) for an access token and a refresh token' })
  @ApiResponse({ status: 200, standardSchema: TokenResponseSchema })
  @ApiErrors(400, 401, 403, 429, 503)
  async login(
    @Body({ schema: LoginSchema }) body: LoginDto,
    @Ip() ip: string,
    @Headers('cookie') cookies: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const answer = await this.auth.login(body, { ip, deviceCookie: readCookie(cookies, LOGIN_DEVICE_COOKIE) });
    // The device cookie keeps this client's logins apart from strangers' failures on its address.
    response.cookie(LOGIN_DEVICE_COOKIE, this.deviceCookies.issue(body.email), this.deviceCookies.cookieOptions);
    return answer;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new access token and a new refresh token (the old one is used up)',
    description:
      'The user is read afresh. Presenting a refresh token that was already used ends its whole session: 401 refresh_token_reused.',
  })
  @ApiResponse({ status: 200, standardSchema: TokenResponseSchema })
  @ApiErrors(400, 401, 403)
  refresh(@Body({ schema: RefreshSchema }) body: RefreshDto) {
    return this.sessions.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: "End the refresh token's session; access tokens already issued run out on their own" })
  @ApiResponse({ status: 204 })
  @ApiErrors(400)
  async logout(@Body({ schema: RefreshSchema }) body: RefreshDto): Promise<void> {
    await this.sessions.logout(body.refreshToken);
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
