import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessChanges } from './access/access-changes.js';
import { AccessResolver } from './access/access-resolver.js';
import { AuthController } from './controllers/auth.controller.js';
import { AuthGuard } from './guards/auth.guard.js';
import { AuthService } from './services/auth.service.js';
import { DemoAccountsCheck } from './services/demo-accounts.check.js';
import { LoginSlots } from './login/login-slots.js';
import { LoginAttemptsService } from './login/login-attempts.service.js';
import { LoginDeviceCookies } from './login/login-device-cookies.js';
import { RateBudgets, RateLimitGuard, RateLimitsModule } from './rate-limits/rate-limits.js';
import { LoginSessions } from './services/login-sessions.service.js';
import { SessionService } from './services/session.service.js';
import { TokenService } from './services/token.service.js';

@Global()
@Module({
  imports: [RateLimitsModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    SessionService,
    LoginSessions,
    TokenService,
    LoginAttemptsService,
    LoginDeviceCookies,
    LoginSlots,
    DemoAccountsCheck,
    AccessChanges,
    AccessResolver,
    RateBudgets,
    { provide: APP_GUARD, useClass: AuthGuard },
    // After AuthGuard: the limits count per authenticated user and company.
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [TokenService, AccessChanges, AccessResolver, LoginSessions, RateBudgets],
})
export class AuthModule {}
