import { Injectable } from '@nestjs/common';
import { AppError } from '../../../common/src/index.js';

const MAX_FAILURES = 5;
const WINDOW_MS = 60_000;

/**
 * Counts failed logins per email and client address in a fixed one-minute window.
 * Kept per replica: the sticky load balancer pins a client address to one replica.
 */
@Injectable()
export class LoginAttemptsService {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  assertAllowed(email: string, ip: string): void {
    const entry = this.current(this.key(email, ip));
    if (entry && entry.count >= MAX_FAILURES) throw AppError.rateLimited('Too many failed logins, try again in a minute');
  }

  recordFailure(email: string, ip: string): void {
    const key = this.key(email, ip);
    const entry = this.current(key) ?? { count: 0, resetAt: Date.now() + WINDOW_MS };
    entry.count += 1;
    this.failures.set(key, entry);
  }

  reset(email: string, ip: string): void {
    this.failures.delete(this.key(email, ip));
  }

  private key(email: string, ip: string) {
    return `${email.toLowerCase()}|${ip}`;
  }

  private current(key: string) {
    const entry = this.failures.get(key);
    if (entry && entry.resetAt <= Date.now()) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
