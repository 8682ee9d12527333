export { AuthModule } from './auth.module.js';
export { CurrentUser, Public, RequirePermissions } from './decorators/auth.decorators.js';
export { PERMISSIONS, ROLE_PERMISSIONS, permissionsFor, type Permission } from './permissions.js';
export { canAccessWorkspace, hasPermission, visibleInWorkspace, type AccessTokenClaims, type Principal } from './principal.js';
export { NoRateLimit } from './rate-limits/rate-limits.js';
export { bearerToken, TokenService } from './services/token.service.js';
export { hashPassword, verifyPassword } from '@retail/passwords';
