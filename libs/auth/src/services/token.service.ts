import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { AppConfig } from '@retail/config';
import { AppError } from '@retail/common';
import type { AccessTokenClaims } from '../principal.js';

const ALGORITHM = 'HS256';

/** A token whose signature and expiry hold; AccessResolver turns it into a Principal. */
export interface VerifiedToken {
  claims: AccessTokenClaims;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Signs and verifies access tokens. AccessResolver.authenticate (HTTP and sockets alike) calls `verify`. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async sign(claims: AccessTokenClaims): Promise<{ accessToken: string; expiresIn: number }> {
    const expiresIn = this.config.jwt.expiresInSeconds;
    const accessToken = await this.jwt.signAsync({ ...claims }, { secret: this.config.jwt.secret, algorithm: ALGORITHM, expiresIn });
    return { accessToken, expiresIn };
  }

  /** Throws AppError 401 with code token_missing, token_invalid or token_expired. */
  async verify(token: string | undefined | null): Promise<VerifiedToken> {
    if (!token) throw AppError.unauthorized('Access token is missing', 'token_missing');
    let claims: AccessTokenClaims & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync(token, { secret: this.config.jwt.secret, algorithms: [ALGORITHM] });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw AppError.unauthorized('Access token has expired', 'token_expired');
      throw AppError.unauthorized('Access token is invalid', 'token_invalid');
    }
    if (typeof claims.exp !== 'number' || !claims.sub || !claims.companyId || !Number.isInteger(claims.ver)) {
      throw AppError.unauthorized('Access token is invalid', 'token_invalid');
    }
    const { sub, companyId, ver, deviceId } = claims;
    return { claims: { sub, companyId, ver, ...(deviceId ? { deviceId } : {}) }, expiresAt: claims.exp };
  }
}

/** Extracts a bearer token from an `Authorization` header value. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}
