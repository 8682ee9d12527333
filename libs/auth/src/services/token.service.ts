import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { AppConfig, jwtKeyId } from '@retail/config';
import { AppError, Id } from '@retail/common';
import type { AccessTokenClaims } from '../principal.js';

// Pinned: a token naming any other algorithm (none, RS256 with the secret as a "public key") is refused.
const ALGORITHM = 'HS256';

/** A token whose signature and expiry hold; AccessResolver turns it into a Principal. */
export interface VerifiedToken {
  claims: AccessTokenClaims;
  /** Epoch seconds. */
  expiresAt: number;
}

interface SigningKey {
  kid: string;
  key: KeyObject;
}

/**
 * Signs and verifies access tokens; AccessResolver.authenticate (HTTP and sockets alike) calls `verify`.
 * `JWT_SECRET` signs, under a `kid` derived from it; it and `JWT_PREVIOUS_SECRETS` verify, each
 * picked by the token's `kid`. Each key object is built once: jsonwebtoken otherwise rebuilds it
 * from the string on every verify.
 */
@Injectable()
export class TokenService {
  private readonly signing: SigningKey;
  private readonly verifying: ReadonlyMap<string, KeyObject>;

  constructor(private readonly config: AppConfig) {
    const keys = [config.jwt.secret, ...config.jwt.previousSecrets].map((secret): SigningKey => ({
      kid: jwtKeyId(secret),
      key: createSecretKey(Buffer.from(secret)),
    }));
    this.signing = keys[0];
    this.verifying = new Map(keys.map(({ kid, key }) => [kid, key]));
  }

  sign(claims: AccessTokenClaims): { accessToken: string; expiresIn: number } {
    const expiresIn = this.config.jwt.expiresInSeconds;
    const accessToken = jwt.sign({ ...claims }, this.signing.key, {
      algorithm: ALGORITHM,
      keyid: this.signing.kid,
      expiresIn,
      issuer: this.config.jwt.issuer,
      audience: this.config.jwt.audience,
    });
    return { accessToken, expiresIn };
  }

  /** Throws AppError 401 with code token_missing, token_invalid or token_expired. A token naming no session (`sid`) is invalid. */
  verify(token: string | undefined | null): VerifiedToken {
    if (!token) throw AppError.unauthorized('Access token is missing', 'token_missing');
    const claims = this.verifiedClaims(token);
    if (typeof claims.exp !== 'number' || !claims.sub || !claims.companyId || !Number.isInteger(claims.ver) || !isSessionId(claims.sid)) {
      throw invalid();
    }
    const { sub, companyId, ver, deviceId, sid } = claims;
    return { claims: { sub, companyId, ver, ...(deviceId ? { deviceId } : {}), sid }, expiresAt: claims.exp };
  }

  private verifiedClaims(token: string): AccessTokenClaims & { exp?: number } {
    const kid = jwt.decode(token, { complete: true })?.header.kid;
    const key = kid === undefined ? undefined : this.verifying.get(kid);
    if (!key) throw invalid();
    try {
      return jwt.verify(token, key, {
        algorithms: [ALGORITHM],
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
      }) as AccessTokenClaims & { exp?: number };
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw AppError.unauthorized('Access token has expired', 'token_expired');
      throw invalid();
    }
  }
}

const invalid = () => AppError.unauthorized('Access token is invalid', 'token_invalid');
// A session id is looked up in the database: anything but a UUID is refused before it gets there.
const isSessionId = (sid: unknown): sid is string => Id.safeParse(sid).success;

/** Extracts a bearer token from an `Authorization` header value. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
