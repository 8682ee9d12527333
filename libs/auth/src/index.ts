export { AccessChanges, type AccessChange, type AccessChangeListener } from './access/access-changes.js';
export { AccessResolver } from './access/access-resolver.js';
export { AuthModule } from './auth.module.js';
export { CurrentUser, Public, RequirePermissions } from './decorators/auth.decorators.js';
export { NewPassword } from './dto/auth.dto.js';
export { mayMoveTransfer, mayUseDevice, MOVEMENT_PERMISSION, TRANSFER_END } from './authority.js';
export { PERMISSIONS, ROLE_PERMISSIONS, permissionsFor, type Permission } from './permissions.js';
export {
  accessTokenClaims,
  canAccessWorkspace,
  claimsOf,
  hasPermission,
  visibleInWorkspace,
  type AccessTokenClaims,
  type Principal,
} from './principal.js';
export { NoRateLimit, RateBudgets } from './rate-limits/rate-limits.js';
export { hashPassword, verifyPassword } from '@retail/passwords';
export { bearerToken, TokenService, type VerifiedToken } from './services/token.service.js';
export { LoginSessions } from './services/login-sessions.service.js';
export { SessionService, type SessionTokens, type SessionUser } from './services/session.service.js';
export { assertMaySignIn } from './sign-in-policy.js';
