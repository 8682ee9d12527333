import { createHmac } from 'node:crypto';
import { TEST_JWT_SECRET } from './replica.js';

const b64 = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Hand-made JWTs for the refusal tests (expired, wrong secret, wrong algorithm). */
export function craftToken(claims: Record<string, unknown>, { secret = TEST_JWT_SECRET, alg = 'HS256' } = {}): string {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  if (alg === 'none') return `${head}.`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** The claims of a real token, to forge variants of it. */
export const decodeClaims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

/** A real token re-signed as expired a minute ago: what a client that kept an old token sends. */
export function expiredToken(token: string): string {
  const claims = decodeClaims(token);
  return craftToken({ ...claims, iat: claims.iat - 7200, exp: Math.floor(Date.now() / 1000) - 60 });
}
