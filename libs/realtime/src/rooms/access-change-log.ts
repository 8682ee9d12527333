import type { AccessChange, Principal } from '@retail/auth';
import { changeKeys, principalKeys } from '../sessions/socket-index.js';

// Far more than can arrive during one handshake or one re-check.
const KEPT = 1_000;

/**
 * The access changes this replica heard lately, numbered. A handshake, `auth.refresh` or re-check
 * takes a mark before it resolves a principal; if a change of that principal was heard since, what
 * it read may predate the change, and it is resolved again. That closes the window in which a
 * socket would finish its handshake just after the announcement that should have ended it.
 */
export class AccessChangeLog {
  private heard = 0;
  private readonly recent: Array<{ seq: number; keys: Set<string> }> = [];

  record(change: AccessChange): void {
    this.recent.push({ seq: ++this.heard, keys: new Set(changeKeys(change)) });
    if (this.recent.length > KEPT) this.recent.shift();
  }

  mark(): number {
    return this.heard;
  }

  /** Whether a change heard after `mark` concerns `principal`; true too when too many came since to tell. */
  changedSince(mark: number, principal: Principal): boolean {
    if (mark === this.heard) return false;
    if (this.recent[0].seq > mark + 1) return true;
    const keys = principalKeys(principal);
    return this.recent.some(({ seq, keys: changed }) => seq > mark && keys.some((key) => changed.has(key)));
  }
}
