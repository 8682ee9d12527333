export { AuthModule } from './auth.module.js';
export { CurrentUser, Public, RequirePermissions } from './decorators/auth.decorators.js';
export {
  mayMoveTransfer,
  mayUseDevice,
  MOVEMENT_PERMISSION,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  permissionsFor,
  TRANSFER_END,
  type Permission,
} from './permissions.js';
export { canAccessWorkspace, hasPermission, visibleInWorkspace, type AccessTokenClaims, type Principal } from './principal.js';
export { bearerToken, TokenService } from './services/token.service.js';
