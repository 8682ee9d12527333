import { AppError } from '@retail/common';
import type { User } from '@retail/database';

/**
 * May this account start or extend a session? Login (after the password) and every refresh (after
 * re-reading the user) ask here: the one place that refuses an account. A disabled user gets 403
 * `account_disabled`.
 */
export function assertMaySignIn<U extends User>(user: U | null): asserts user is U {
  if (!user) throw AppError.unauthorized('This account no longer exists', 'account_unavailable');
  if (user.disabled) throw AppError.forbidden('This account is disabled', 'account_disabled');
}
