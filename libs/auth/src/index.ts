export { AuthModule } from './auth.module.js';
export { CurrentUser, Public, RequirePermissions } from './decorators/auth.decorators.js';
export { PERMISSIONS, ROLE_PERMISSIONS, permissionsFor, type Permission } from './permissions.js';
export { canAccessWorkspace, hasPermission, visibleInWorkspace, type AccessTokenClaims, type Principal } from './principal.js';
export { bearerToken, TokenService } from './services/token.service.js';
export { SessionService, type SessionTokens, type SessionUser } from './services/session.service.js';
export { assertMaySignIn } from './sign-in-policy.js';
