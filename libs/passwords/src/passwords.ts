import { hashingLane, type HashingLane } from './hashing-lanes.js';

/**
 * bcrypt cost of every new hash: the cost the seed always used, so existing hashes (bcryptjs'
 * `$2a$`/`$2b$`, cost 10) keep verifying and a login costs what it did.
 */
export const PASSWORD_HASH_COST = 10;

/**
 * Compared against when a login names no known account, so that both failures cost the same: a
 * hash of PASSWORD_HASH_COST of a random password nobody kept. A constant, so no hash runs at boot.
 */
export const UNKNOWN_ACCOUNT_HASH = '$2b$10$xc/hAsy2uFYJAA4pYHN3h.6AGBxH/TE0TgJFumHvk26P3jGj/U2V6';

/**
 * Native bcrypt (@node-rs/bcrypt: a prebuilt N-API binary, no install script) on low-priority
 * threads of the caller's lane (sign-in by default), so a hash neither blocks nor outcompetes the
 * event loop that delivers events. A full lane refuses at once: `503 login_busy` / `admin_hashing_busy`.
 */
export function hashPassword(password: string, { lane = 'login' }: { lane?: HashingLane } = {}): Promise<string> {
  return hashingLane(lane).run<string>({ password, cost: PASSWORD_HASH_COST });
}

/** False for a wrong password and for a malformed hash alike; on the sign-in lane. */
export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return hashingLane('login').run<boolean>({ password, hash: passwordHash });
}
