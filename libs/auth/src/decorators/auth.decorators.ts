import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Permission } from '../permissions.js';
import type { Principal } from '../principal.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_PERMISSIONS = 'auth:permissions';

/** Opens an endpoint to unauthenticated callers (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The caller must hold every listed permission (see ROLE_PERMISSIONS). */
export const RequirePermissions = (...permissions: Permission[]) => SetMetadata(REQUIRED_PERMISSIONS, permissions);

/** Injects the verified caller. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user);
