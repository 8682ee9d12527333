import { describe, expect, it } from 'vitest';
import type { AppConfig } from '@retail/config';
import { LoginSlots } from './login-slots.js';

const slots = (concurrency: number, queue: number) => new LoginSlots({ passwordHashing: { login: { concurrency, queue } } } as AppConfig);

describe('LoginSlots', () => {
  it('runs at most `concurrency` at once, queues `queue` more, and refuses the rest with 503 login_busy', async () => {
    const pool = slots(2, 1);
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const work = () =>
      pool.run(async () => {
        peak = Math.max(peak, ++running);
        await new Promise<void>((open) => gates.push(open));
        running--;
      });
    const accepted = [work(), work(), work()];
    await expect(work()).rejects.toMatchObject({ code: 'login_busy', retryAfterSeconds: 1 });
    const tick = () => new Promise((r) => setImmediate(r));
    for (let opened = 0; opened < 3; opened++) {
      await tick();
      expect(gates.length).toBe(Math.min(2, 3 - opened));
      gates.shift()!();
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
  });
});
