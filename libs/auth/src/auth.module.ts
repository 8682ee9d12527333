import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessChanges } from './access/access-changes.js';
import { AccessResolver } from './access/access-resolver.js';
import { AuthController } from './controllers/auth.controller.js';
import { AuthGuard } from './guards/auth.guard.js';
import { AuthService } from './services/auth.service.js';
import { LoginAttemptsService } from './services/login-attempts.service.js';
import { SessionService } from './services/session.service.js';
import { TokenService } from './services/token.service.js';

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    AuthService,
    SessionService,
    TokenService,
    LoginAttemptsService,
    AccessChanges,
    AccessResolver,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, AccessChanges, AccessResolver],
})
export class AuthModule {}
