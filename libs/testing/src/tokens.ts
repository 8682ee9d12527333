import { createHmac } from 'node:crypto';
import { jwtKeyId } from '@retail/config';
import { TEST_JWT_SECRET } from './replica.js';

const b64 = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Hand-made JWTs for the refusal tests (expired, wrong secret, wrong algorithm, unknown key). The
 * `kid` is the one the server gives `secret`, unless one is named (`null`: none). Take the claims
 * from a real token (decodeClaims): its `sid` names a live session, which the server checks; a
 * token without `sid` is token_invalid, one whose session ended or is not its own token_revoked.
 */
export function craftToken(
  claims: Record<string, unknown>,
  { secret = TEST_JWT_SECRET, alg = 'HS256', kid = jwtKeyId(secret) }: { secret?: string; alg?: string; kid?: string | null } = {},
): string {
  const head = `${b64({ alg, typ: 'JWT', ...(kid === null ? {} : { kid }) })}.${b64(claims)}`;
  if (alg === 'none') return `${head}.`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const decodePart = (token: string, part: number) => JSON.parse(Buffer.from(token.split('.')[part], 'base64url').toString());

/** The claims of a real token, to forge variants of it. */
export const decodeClaims = (token: string) => decodePart(token, 1);

/** The header of a real token: which `kid` signed it. */
export const decodeHeader = (token: string) => decodePart(token, 0);

/** A real token re-signed as expired a minute ago: what a client that kept an old token sends. */
export function expiredToken(token: string): string {
  const claims = decodeClaims(token);
  return craftToken({ ...claims, iat: claims.iat - 7200, exp: Math.floor(Date.now() / 1000) - 60 });
}
