/** The `exp` of a JWT (epoch seconds), read without verifying it: the server does that. */
export function tokenExpiry(token: string | undefined): number | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const { exp } = JSON.parse(json) as { exp?: unknown };
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

// A 15-minute token is refreshed a minute before it expires; a short one at 80% of what is left.
const REFRESH_LEAD_MS = 60_000;
const LEAD_SHARE = 0.2;
// Never sooner than this, so a getToken() that keeps returning the same token cannot spin.
const MIN_DELAY_MS = 1_000;

/** How long to wait before refreshing a token that expires at `exp`. */
export function refreshDelayMs(exp: number, now = Date.now()): number {
  const left = exp * 1000 - now;
  return Math.max(MIN_DELAY_MS, left - Math.min(REFRESH_LEAD_MS, left * LEAD_SHARE));
}
