import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { HashingThreads } from './hashing-threads.js';

describe('HashingThreads', () => {
  it('fails the job of a thread that dies, and serves the next job on a new thread', async () => {
    const threads = new HashingThreads(1);
    const hash = await threads.run<string>({ password: 'secret', cost: 4 });
    const [thread] = (threads as unknown as { idle: Worker[] }).idle;
    const inFlight = threads.run<string>({ password: 'secret', cost: 14 }); // long enough to be cut off
    await thread.terminate();
    await expect(inFlight).rejects.toThrow();
    expect(await threads.run<boolean>({ password: 'secret', hash })).toBe(true);
  });
});
