import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CookieOptions } from 'express';
import { AppError } from '@retail/common';
import { AppConfig } from '@retail/config';

/** Set on every successful login; a till or browser that sends it back is a known device of that account. */
export const LOGIN_DEVICE_COOKIE = 'rt_login_device';

/**
 * Device cookies (OWASP's defence against lockout by neighbours): `<nonce>.<HMAC(account, nonce)>`.
 * Failures from a device with a valid cookie count against that cookie alone, so strangers on the
 * same NAT address cannot lock its account out of it.
 */
@Injectable()
export class LoginDeviceCookies {
  private readonly key: Buffer;
  /** Only for login requests, never readable by scripts; HTTPS-only in production. */
  readonly cookieOptions: CookieOptions;

  constructor(config: AppConfig) {
    this.key = createHmac('sha256', config.jwt.secret).update('login-device-cookie').digest();
    this.cookieOptions = {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.nodeEnv === 'production',
      path: '/auth',
      maxAge: 90 * 24 * 3600 * 1000,
    };
  }

  issue(email: string): string {
    const nonce = randomBytes(16).toString('base64url');
    return `${nonce}.${this.sign(email, nonce)}`;
  }

  /** The cookie's nonce when it was issued to `email` by this deployment, else undefined. */
  verify(email: string, cookie: string | undefined): string | undefined {
    const [nonce, signature, ...rest] = cookie?.split('.') ?? [];
    if (!nonce || !signature || rest.length) return undefined;
    const expected = Buffer.from(this.sign(email, nonce));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? nonce : undefined;
  }

  private sign(email: string, nonce: string) {
    return createHmac('sha256', this.key).update(`${email.toLowerCase()}|${nonce}`).digest('base64url');
  }
}

/**
 * One cookie's value from a raw `Cookie` header (no cookie parser is installed for this one cookie).
 * A value that is not valid percent-encoding is the client's mistake: `400 cookie_malformed`.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeCookieValue(name, value.join('='));
  }
  return undefined;
}

function decodeCookieValue(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError(400, 'cookie_malformed', `The ${name} cookie is malformed; clear it and log in again`);
  }
}
