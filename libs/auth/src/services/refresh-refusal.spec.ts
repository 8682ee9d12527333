import { describe, expect, it } from 'vitest';
import { refreshRefusal } from './refresh-refusal.js';

const now = new Date('2026-12-07T12:00:00Z');
const later = new Date(now.getTime() + 60_000);
const earlier = new Date(now.getTime() - 60_000);
const live = { endedAt: null, expiresAt: later };

describe('refreshRefusal', () => {
  it('lets a live token of a live session through', () => {
    expect(refreshRefusal(live, { expiresAt: later }, now)).toBeUndefined();
  });

  it('refuses an ended session as revoked, whatever else holds', () => {
    expect(refreshRefusal({ ...live, endedAt: earlier }, { expiresAt: later }, now)?.code).toBe('refresh_token_revoked');
    expect(refreshRefusal({ endedAt: earlier, expiresAt: earlier }, { expiresAt: earlier }, now)?.code).toBe('refresh_token_revoked');
  });

  it('refuses a session past its maximum age as session_expired, before its token expiring', () => {
    expect(refreshRefusal({ ...live, expiresAt: now }, { expiresAt: later }, now)?.code).toBe('session_expired');
    expect(refreshRefusal({ ...live, expiresAt: earlier }, { expiresAt: earlier }, now)?.code).toBe('session_expired');
  });

  it('refuses an expired token of a live session as refresh_token_expired', () => {
    expect(refreshRefusal(live, { expiresAt: now }, now)?.code).toBe('refresh_token_expired');
  });
});
