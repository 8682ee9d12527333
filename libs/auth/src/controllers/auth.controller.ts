import { Body, Controller, Get, Headers, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors } from '@retail/common';
import { CurrentUser, Public } from '../decorators/auth.decorators.js';
import {
  ChangePasswordSchema,
  LoginSchema,
  MeResponseSchema,
  RefreshSchema,
  TokenResponseSchema,
  type ChangePasswordDto,
  type LoginDto,
  type RefreshDto,
} from '../dto/auth.dto.js';
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
  @ApiOperation({
    summary: 'Exchange email and password (and, on a till, its deviceId and deviceKey) for an access token and a refresh token',
    description:
      'Starts a login session of at most SESSION_MAX_DAYS. On a till the key must be its current one: else 401 device_key_invalid.',
  })
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
      'The user is read afresh. Presenting a refresh token that was already used ends its whole session: 401 refresh_token_reused. ' +
      'An ended session answers 401 refresh_token_revoked, one past SESSION_MAX_DAYS 401 session_expired.',
  })
  @ApiResponse({ status: 200, standardSchema: TokenResponseSchema })
  @ApiErrors(400, 401, 403)
  refresh(@Body({ schema: RefreshSchema }) body: RefreshDto) {
    return this.sessions.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: "End the refresh token's session: its access tokens answer 401 on every replica and its sockets are closed",
  })
  @ApiResponse({ status: 204 })
  @ApiErrors(400)
  async logout(@Body({ schema: RefreshSchema }) body: RefreshDto): Promise<void> {
    await this.sessions.logout(body.refreshToken);
  }

  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End every session of the caller, this one included: sign out everywhere' })
  @ApiResponse({ status: 204 })
  @ApiErrors(401, 429)
  async logoutAll(@CurrentUser() user: Principal): Promise<void> {
    await this.sessions.logoutAll(user.userId);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Change the caller's password; every other session of theirs ends, this one goes on",
    description:
      'The current password is counted like a login (429 rate_limited past the login limits). A wrong one is ' +
      '403 current_password_invalid, never 401: the token is fine. The new one follows the rules of a new user (8 to 200 characters).',
  })
  @ApiResponse({ status: 204 })
  @ApiErrors(400, 401, 403, 429, 503)
  async changePassword(
    @CurrentUser() user: Principal,
    @Body({ schema: ChangePasswordSchema }) body: ChangePasswordDto,
    @Ip() ip: string,
    @Headers('cookie') cookies: string | undefined,
  ): Promise<void> {
    await this.auth.changePassword(user, body, { ip, deviceCookie: readCookie(cookies, LOGIN_DEVICE_COOKIE) });
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
