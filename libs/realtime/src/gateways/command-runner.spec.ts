import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@retail/common';
import type { AuthedSocket } from '../handshake/socket-context.js';
import { runCommand } from './command-runner.js';

const socket = () => ({ data: {} }) as unknown as AuthedSocket;
const Schema = z.object({ n: z.number() });

describe('runCommand', () => {
  it('acks the handler result with ok:true', async () => {
    expect(await runCommand(socket(), Schema, { n: 1 }, ({ n }) => ({ double: n * 2 }))).toEqual({ ok: true, double: 2 });
  });

  it('answers validation_failed with details, without running the handler', async () => {
    let ran = false;
    const ack = await runCommand(socket(), Schema, { n: 'x' }, () => ((ran = true), {}));
    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ path: 'n' }] } });
    expect(ran).toBe(false);
  });

  it('turns domain errors into their code and hides unexpected ones', async () => {
    expect(await runCommand(socket(), Schema, { n: 1 }, () => Promise.reject(AppError.forbidden('no')))).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'no' },
    });
    expect(await runCommand(socket(), Schema, { n: 1 }, () => Promise.reject(new Error('db password is hunter2')))).toEqual({
      ok: false,
      error: { code: 'internal_error', message: 'Internal server error' },
    });
  });

  it('rate-limits a burst beyond the bucket', async () => {
    const s = socket();
    const acks = await Promise.all(Array.from({ length: 40 }, () => runCommand(s, Schema, { n: 1 }, () => ({}))));
    expect(acks.filter((a) => a.ok)).toHaveLength(20);
    expect(acks.filter((a) => !a.ok && a.error.code === 'rate_limited')).toHaveLength(20);
  });
});
