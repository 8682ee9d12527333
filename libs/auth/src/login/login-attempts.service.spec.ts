import { describe, expect, it } from 'vitest';
import type { AppConfig } from '@retail/config';
import type { RedisConnections } from '@retail/redis';
import { LoginAttemptsService } from './login-attempts.service.js';
import { LoginDeviceCookies } from './login-device-cookies.js';

// Single-node mode: no Redis, the counts live in this process.
const devices = new LoginDeviceCookies({ jwt: { secret: 'a-secret-of-at-least-thirty-two-characters' }, nodeEnv: 'test' } as AppConfig);
const service = () => new LoginAttemptsService({ enabled: false, keyPrefix: 'test' } as RedisConnections, devices);

const outcome = (attempt: Promise<unknown>) =>
  attempt.then(
    () => 'counted',
    (error: { code: string }) => error.code,
  );

describe('LoginAttemptsService without Redis', () => {
  it('refuses the 6th failure of an account at one address, and keeps a known device apart', async () => {
    const attempts = service();
    const neighbour = { ip: '10.0.0.1' };
    for (let i = 0; i < 5; i++) expect(await outcome(attempts.begin('cashier@x.local', neighbour))).toBe('counted');
    expect(await outcome(attempts.begin('cashier@x.local', neighbour))).toBe('rate_limited');
    expect(await outcome(attempts.begin('cashier@x.local', { ip: '10.0.0.2' }))).toBe('counted');
    const till = { ip: '10.0.0.1', deviceCookie: devices.issue('cashier@x.local') };
    expect(await outcome(attempts.begin('cashier@x.local', till))).toBe('counted');
  });

  it('gives an attempt back on success, so right passwords never fill a counter', async () => {
    const attempts = service();
    const client = { ip: '10.0.0.3' };
    for (let i = 0; i < 10; i++) await (await attempts.begin('manager@x.local', client)).succeeded();
    expect(await outcome(attempts.begin('manager@x.local', client))).toBe('counted');
  });
});
