import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@retail/common';
import { IS_PUBLIC, REQUIRED_PERMISSIONS } from '../decorators/auth.decorators.js';
import type { Permission } from '../permissions.js';
import { hasPermission } from '../principal.js';
import { AccessResolver } from '../access/access-resolver.js';
import { bearerToken } from '../services/token.service.js';

/** Global HTTP guard: verifies the bearer token and resolves its access, then checks the endpoint's permissions. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest();
    const principal = await this.access.authenticate(bearerToken(request.headers.authorization));
    request.user = principal;

    const required = this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS, targets) ?? [];
    const missing = required.filter((p) => !hasPermission(principal, p));
    if (missing.length) throw AppError.forbidden(`Missing permission: ${missing.join(', ')}`);
    return true;
  }
}
