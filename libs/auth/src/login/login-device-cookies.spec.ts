import { describe, expect, it } from 'vitest';
import type { AppConfig } from '@retail/config';
import { LoginDeviceCookies, readCookie } from './login-device-cookies.js';

const cookies = (secret = 'a-secret-of-at-least-thirty-two-characters') =>
  new LoginDeviceCookies({ jwt: { secret }, nodeEnv: 'production' } as AppConfig);

describe('LoginDeviceCookies', () => {
  it('recognises its own cookie for the account it was issued to, and nothing else', () => {
    const devices = cookies();
    const cookie = devices.issue('cashier1@demo.local');
    expect(devices.verify('Cashier1@demo.local', cookie)).toBe(cookie.split('.')[0]);
    expect(devices.verify('cashier2@demo.local', cookie)).toBeUndefined();
    expect(cookies('another-secret-of-at-least-thirty-two-chars').verify('cashier1@demo.local', cookie)).toBeUndefined();
    expect(devices.verify('cashier1@demo.local', `${cookie}x`)).toBeUndefined();
    expect(devices.verify('cashier1@demo.local', undefined)).toBeUndefined();
  });

  it('sets an HTTP-only, same-site, HTTPS-only cookie in production', () => {
    expect(cookies().cookieOptions).toMatchObject({ httpOnly: true, sameSite: 'strict', secure: true, path: '/auth' });
  });
});

describe('readCookie', () => {
  it('finds one cookie in a Cookie header', () => {
    expect(readCookie('a=1; rt_login_device=abc.def; b=2', 'rt_login_device')).toBe('abc.def');
    expect(readCookie('a=1', 'rt_login_device')).toBeUndefined();
    expect(readCookie(undefined, 'rt_login_device')).toBeUndefined();
  });

  it('refuses a value that is not valid percent-encoding with 400 cookie_malformed, not an internal error', () => {
    for (const value of ['%E0%A4%A', '%', 'abc.%zz']) {
      expect(() => readCookie(`rt_login_device=${value}`, 'rt_login_device')).toThrow(
        expect.objectContaining({ code: 'cookie_malformed', status: 400 }),
      );
    }
    expect(readCookie('other=%; rt_login_device=abc.def', 'rt_login_device')).toBe('abc.def');
  });
});
