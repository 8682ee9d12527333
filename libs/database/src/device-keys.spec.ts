import { describe, expect, it } from 'vitest';
import { deviceKeyHash, deviceKeyMatches, newDeviceKey } from './device-keys.js';

describe('device keys', () => {
  it('are 32 random bytes, base64url, each new one different; only the hash is to be stored', () => {
    const first = newDeviceKey();
    const second = newDeviceKey();
    expect(first.deviceKey).toMatch(/^[\w-]{43}$/);
    expect(first.deviceKey).not.toBe(second.deviceKey);
    expect(first.keyHash).toBe(deviceKeyHash(first.deviceKey));
    expect(first.keyHash).not.toContain(first.deviceKey);
  });

  it('match their own hash only: not another key, an empty key, or a device that has none', () => {
    const { deviceKey, keyHash } = newDeviceKey();
    expect(deviceKeyMatches(deviceKey, keyHash)).toBe(true);
    expect(deviceKeyMatches(newDeviceKey().deviceKey, keyHash)).toBe(false);
    expect(deviceKeyMatches(`${deviceKey}x`, keyHash)).toBe(false);
    expect(deviceKeyMatches('', keyHash)).toBe(false);
    expect(deviceKeyMatches(undefined, keyHash)).toBe(false);
    expect(deviceKeyMatches(deviceKey, null)).toBe(false);
    // A stored value of another length (a corrupted row) is a mismatch, not a crash.
    expect(deviceKeyMatches(deviceKey, 'short')).toBe(false);
  });
});
