import { describe, expect, it } from 'vitest';
import { AppError } from './app-error.js';
import { describeError } from './describe-error.js';

/** A Prisma known request error as @prisma/adapter-pg produces it (shapes copied from real failures). */
const prismaError = (code: string, cause?: Record<string, unknown>) =>
  Object.assign(new Error(`prisma ${code}`), { code, meta: cause ? { driverAdapterError: { name: 'DriverAdapterError', cause } } : {} });

describe('describeError', () => {
  it.each([
    ['unreachable server', prismaError('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
    ['unreachable server, in a raw query', prismaError('P2010', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
    ['connection closed, in a raw query', prismaError('P2010', { kind: 'ConnectionClosed' })],
    ['server shutting down mid-query', prismaError('P2010', { originalCode: '57P01', kind: 'postgres', code: '57P01' })],
    ['statement_timeout', prismaError('P2010', { originalCode: '57014', kind: 'postgres', code: '57014' })],
    ['connection exception class 08', prismaError('P2010', { kind: 'postgres', code: '08006' })],
    ['pg connect timeout (pool)', new Error('Connection terminated due to connection timeout')],
    ['pg connect timeout (client)', new Error('timeout expired')],
    ['transaction not started in time', prismaError('P2028')],
    ['pg pool queue timeout', new Error('timeout exceeded when trying to connect')],
    ['dead connection', new Error('Connection terminated unexpectedly')],
    ['socket error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' })],
  ])('answers 503 database_unavailable with Retry-After for: %s', (_, error) => {
    expect(describeError(error)).toMatchObject({ status: 503, code: 'database_unavailable', retryAfter: 1 });
  });

  it('answers 422 value_out_of_range for a numeric overflow (SQLSTATE 22003), mapped or raw', () => {
    const mapped = prismaError('P2020', { originalCode: '22003', kind: 'ValueOutOfRange', cause: 'integer out of range' });
    const raw = prismaError('P2010', { originalCode: '22003', kind: 'postgres', code: '22003' });
    for (const error of [mapped, raw]) expect(describeError(error)).toMatchObject({ status: 422, code: 'value_out_of_range' });
  });

  it('keeps request errors as they were, and anything unknown a 500', () => {
    expect(describeError(prismaError('P2002', { kind: 'UniqueConstraintViolation' }))).toMatchObject({ status: 409, code: 'conflict' });
    expect(describeError(prismaError('P2010', { kind: 'postgres', code: '42601' }))).toMatchObject({ status: 500 });
    expect(describeError(new Error('boom'))).toEqual({ status: 500, code: 'internal_error', message: 'Internal server error' });
  });

  it("carries an AppError's Retry-After", () => {
    expect(describeError(AppError.conflict('busy', 'Busy').retryAfter(2))).toMatchObject({ status: 409, code: 'busy', retryAfter: 2 });
    expect(describeError(AppError.conflict('busy', 'Busy')).retryAfter).toBeUndefined();
  });
});
