import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RateBudgets } from '@retail/auth';
import { AppError } from '@retail/common';
import type { AuthedSocket } from '../handshake/socket-context.js';
import { CommandRunner } from './command-runner.js';

const socket = () => ({ data: { principal: { userId: 'u', companyId: 'c' } } }) as unknown as AuthedSocket;
const Schema = z.object({ n: z.number() });
/** Budgets with `left` calls in them; past it, what the Redis-backed ones throw. */
const budgets = (left = Infinity) =>
  ({
    take: async () => {
      if (left-- <= 0) throw AppError.rateLimited();
    },
  }) as unknown as RateBudgets;
const runner = new CommandRunner(budgets());

describe('CommandRunner', () => {
  it('acks the handler result with ok:true', async () => {
    expect(await runner.run(socket(), Schema, { n: 1 }, ({ n }) => ({ double: n * 2 }))).toEqual({ ok: true, double: 2 });
  });

  it('answers validation_failed with details, without running the handler', async () => {
    let ran = false;
    const ack = await runner.run(socket(), Schema, { n: 'x' }, () => ((ran = true), {}));
    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ path: 'n' }] } });
    expect(ran).toBe(false);
  });

  it('turns domain errors into their code and hides unexpected ones', async () => {
    expect(await runner.run(socket(), Schema, { n: 1 }, () => Promise.reject(AppError.forbidden('no')))).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'no' },
    });
    expect(await runner.run(socket(), Schema, { n: 1 }, () => Promise.reject(new Error('db password is hunter2')))).toEqual({
      ok: false,
      error: { code: 'internal_error', message: 'Internal server error' },
    });
  });

  it('rate-limits a burst beyond the bucket', async () => {
    const s = socket();
    const acks = await Promise.all(Array.from({ length: 40 }, () => runner.run(s, Schema, { n: 1 }, () => ({}))));
    expect(acks.filter((a) => a.ok)).toHaveLength(20);
    expect(acks.filter((a) => !a.ok && a.error.code === 'rate_limited')).toHaveLength(20);
  });

  it('answers rate_limited once the shared budget is spent, without running the handler', async () => {
    const limited = new CommandRunner(budgets(3));
    let ran = 0;
    const acks = [];
    for (let i = 0; i < 5; i++) acks.push(await limited.run(socket(), Schema, { n: 1 }, () => (ran++, {})));
    expect(acks.map((a) => a.ok)).toEqual([true, true, true, false, false]);
    expect(acks[4]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(ran).toBe(3);
  });
});
