import { HttpException, HttpStatus } from '@nestjs/common';
import { AppError, type ErrorBody } from './app-error.js';
import { describeDatabaseError } from './database-errors.js';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Prisma's known request errors, duck-typed so this lib need not import the generated client. */
const PRISMA_ERRORS: Record<string, [HttpStatus, string, string]> = {
  P2002: [HttpStatus.CONFLICT, 'conflict', 'A record with the same unique value already exists'],
  P2025: [HttpStatus.NOT_FOUND, 'not_found', 'Record not found'],
  P2034: [HttpStatus.CONFLICT, 'conflict', 'Concurrent update, please retry'],
};

/** Prisma's error code of a known request error (e.g. P2002), if `error` is one. */
const prismaCodeOf = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** A unique constraint refused the write: callers that expect races turn it into their own answer. */
export const isUniqueViolation = (error: unknown) => prismaCodeOf(error) === 'P2002';

export interface DescribedError extends ErrorBody {
  status: number;
  /** Seconds, for a `Retry-After` header. */
  retryAfter?: number;
}

/** Turns anything thrown into a status and a public error body; used by HTTP and socket paths alike. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof AppError) {
    const { code, message, details, retryAfterSeconds: retryAfter } = error;
    return { status: error.getStatus(), code, message, details, retryAfter };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response ? [response.message].flat().join('; ') : error.message;
    return { status, code: CODE_BY_STATUS[status] ?? (status < 500 ? 'bad_request' : 'internal_error'), message };
  }
  const database = describeDatabaseError(error);
  if (database) return database;
  const prismaCode = prismaCodeOf(error);
  if (prismaCode && PRISMA_ERRORS[prismaCode]) {
    const [status, code, message] = PRISMA_ERRORS[prismaCode];
    return { status, code, message };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, code: 'internal_error', message: 'Internal server error' };
}
