import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const DEVICE_KEY_BYTES = 32;

const sha256 = (deviceKey: string) => createHash('sha256').update(deviceKey).digest();

/**
 * The stored form of a till's key (`PosDevice.keyHash`). A plain SHA-256 is enough: the key is 256
 * random bits, so there is nothing to guess and nothing for a slow hash to slow down.
 */
export const deviceKeyHash = (deviceKey: string): string => sha256(deviceKey).toString('base64url');

/** A new till key, to be shown once, and the hash that is all the database keeps of it. */
export function newDeviceKey(): { deviceKey: string; keyHash: string } {
  const deviceKey = randomBytes(DEVICE_KEY_BYTES).toString('base64url');
  return { deviceKey, keyHash: deviceKeyHash(deviceKey) };
}

/** Whether `deviceKey` is the key `keyHash` was made from; compared in constant time. No key, or none issued: false. */
export function deviceKeyMatches(deviceKey: string | undefined, keyHash: string | null): boolean {
  if (!deviceKey || !keyHash) return false;
  const stored = Buffer.from(keyHash, 'base64url');
  const given = sha256(deviceKey);
  return stored.length === given.length && timingSafeEqual(stored, given);
}
