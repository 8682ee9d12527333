import { HashingThreads } from './hashing-threads.js';

/**
 * bcrypt cost of every new hash: the cost the seed always used, so existing hashes (bcryptjs'
 * `$2a$`/`$2b$`, cost 10) keep verifying and a login costs what it did.
 */
export const PASSWORD_HASH_COST = 10;

const threads = new HashingThreads();

/**
 * Native bcrypt (@node-rs/bcrypt: a prebuilt N-API binary, no install script) on low-priority
 * threads of its own, so a hash neither blocks nor outcompetes the event loop that delivers events.
 */
export function hashPassword(password: string): Promise<string> {
  return threads.run<string>({ password, cost: PASSWORD_HASH_COST });
}

/** False for a wrong password and for a malformed hash alike. */
export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return threads.run<boolean>({ password, hash: passwordHash }).catch(() => false);
}
