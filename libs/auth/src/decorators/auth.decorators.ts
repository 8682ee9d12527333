import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Permission } from '../permissions.js';
import type { Principal } from '../principal.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_PERMISSIONS = 'auth:permissions';

/** Opens an endpoint to unauthenticated callers (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The caller must hold every listed permission (see ROLE_PERMISSIONS). The OpenAPI document shows
 * them as `x-permissions`; the access-matrix test reads them there. Put them on a controller or on
 * its methods, not both: the document would show only the method's.
 */
export const RequirePermissions = (...permissions: Permission[]) =>
  applyDecorators(SetMetadata(REQUIRED_PERMISSIONS, permissions), ApiExtension('x-permissions', permissions));

/** Injects the verified caller. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user);
