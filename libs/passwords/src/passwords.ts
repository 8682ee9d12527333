import { compare, hash } from '@node-rs/bcrypt';

/**
 * bcrypt cost of every new hash: the cost the seed always used, so existing hashes (bcryptjs'
 * `$2a$`/`$2b$`, cost 10) keep verifying and a login costs what it did.
 */
export const PASSWORD_HASH_COST = 10;

/**
 * Native bcrypt (a prebuilt N-API binary, no install script) runs on libuv's thread pool, so a
 * hash never blocks the event loop that delivers socket events.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_COST);
}

/** False for a wrong password and for a malformed hash alike. */
export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return compare(password, passwordHash).catch(() => false);
}
