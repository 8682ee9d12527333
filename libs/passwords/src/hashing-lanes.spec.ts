import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configureHashingLanes, hashingLane } from './hashing-lanes.js';
import { hashPassword, verifyPassword } from './passwords.js';

// Each test file has its own module state: these limits hold for this file alone.
configureHashingLanes({ login: { concurrency: 1, queue: 2 }, admin: { concurrency: 1, queue: 6 } });

const outcome = (work: Promise<unknown>) =>
  work.then(
    () => 'done',
    (error: { code?: string; message: string }) => error.code ?? error.message,
  );
const tally = (outcomes: string[]) => outcomes.reduce<Record<string, number>>((t, o) => ({ ...t, [o]: (t[o] ?? 0) + 1 }), {});

/** Nice values of this process's threads (Linux: /proc/self/task/<tid>/stat, field 19). */
const threadNiceValues = () =>
  readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });

describe('hashing lanes', () => {
  it('admits concurrency + queue hashes per lane and refuses the rest at once with the lane’s code', async () => {
    const admin = Array.from({ length: 10 }, (_, i) => outcome(hashPassword(`admin-set-${i}`, { lane: 'admin' })));
    const logins = Array.from({ length: 5 }, () => outcome(hashPassword('own-password')));
    expect(tally(await Promise.all(admin))).toEqual({ done: 7, admin_hashing_busy: 3 });
    expect(tally(await Promise.all(logins))).toEqual({ done: 3, login_busy: 2 });
  });

  it('compares a login beside a full admin lane, not behind it', async () => {
    const hash = await hashPassword('right');
    let adminDone = 0;
    const admin = Array.from({ length: 7 }, (_, i) => hashPassword(`admin-set-${i}`, { lane: 'admin' }).then(() => adminDone++));
    expect(await verifyPassword('right', hash)).toBe(true);
    // Seven hashes wait on the admin thread; the login's thread is its own. Behind them, all seven would be done.
    expect(adminDone).toBeLessThanOrEqual(2);
    await Promise.all(admin);
  });

  it('runs its threads at the lowest CPU priority', async () => {
    await hashPassword('any');
    const lowest = threadNiceValues().filter((nice) => nice === 19).length;
    expect(lowest).toBeGreaterThanOrEqual(hashingLane('login').limits.concurrency);
  });

  it('fails the hash of a thread that dies, and serves the next one on a new thread', async () => {
    const hash = await hashPassword('secret');
    const [thread] = hashingLane('login').threads().threads;
    const inFlight = hashingLane('login').run({ password: 'secret', cost: 14 }); // long enough to be cut off
    await thread!.terminate();
    await expect(inFlight).rejects.toThrow();
    expect(await verifyPassword('secret', hash)).toBe(true);
  });

  it('takes its limits once, before the first hash', () => {
    expect(() => configureHashingLanes({ login: { concurrency: 2, queue: 0 }, admin: { concurrency: 1, queue: 0 } })).toThrow(
      /before the first hash/,
    );
  });
});
