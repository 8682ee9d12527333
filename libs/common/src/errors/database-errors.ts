import { HttpStatus } from '@nestjs/common';
import type { DescribedError } from './describe-error.js';

/**
 * Failures of the database rather than of the request, told apart by duck typing so this lib need
 * not import Prisma or the driver. Prisma wraps most driver errors in a known request error (its
 * code, and the SQLSTATE under `meta.driverAdapterError`); a few node-postgres failures (connect and
 * pool timeouts, a connection that dies) reach us unwrapped, with nothing but their fixed message.
 */

// P1001 unreachable, P1002/P1008 timed out, P1017 connection closed, P2024 pool timeout,
// P2028 a transaction that could not start or finish in time, P2037 too many connections.
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2037']);
// 08 connection exception, 53300 too many connections, 57014 cancelled by statement_timeout,
// 57P01-57P03 the server is shutting down, crashed or is starting up.
const UNAVAILABLE_SQLSTATE = /^(08...|53300|57014|57P0[123])$/;
const NODE_POSTGRES_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|timeout expired$|Query read timeout)/;
// The driver adapter's own kinds for the same failures; a raw query (P2010) carries nothing else.
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

interface DriverErrorShape {
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown; kind?: unknown } } };
}

const UNAVAILABLE: DescribedError = {
  status: HttpStatus.SERVICE_UNAVAILABLE,
  code: 'database_unavailable',
  message: 'The database is unavailable; retry shortly',
  retryAfter: 1,
};
const OUT_OF_RANGE: DescribedError = {
  status: HttpStatus.UNPROCESSABLE_ENTITY,
  code: 'value_out_of_range',
  message: 'A number is too large for what it would be stored in',
};

/** The SQLSTATE of a PostgreSQL error as Prisma's driver adapter reports it, e.g. '55P03'. */
export function sqlStateOf(error: unknown): string | undefined {
  const cause = (error as DriverErrorShape | null)?.meta?.driverAdapterError?.cause;
  const state = cause?.originalCode ?? cause?.code;
  return typeof state === 'string' ? state : undefined;
}

/** The answer for a database failure, or undefined when `error` is not one. */
export function describeDatabaseError(error: unknown): DescribedError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { code, message } = error as DriverErrorShape;
  const sqlState = sqlStateOf(error) ?? '';
  if (code === 'P2020' || sqlState === '22003') return OUT_OF_RANGE;
  if (typeof code === 'string' && (UNAVAILABLE_PRISMA_CODES.has(code) || SOCKET_CODES.has(code))) return UNAVAILABLE;
  if (UNAVAILABLE_SQLSTATE.test(sqlState)) return UNAVAILABLE;
  const adapterKind = (error as DriverErrorShape).meta?.driverAdapterError?.cause?.kind;
  if (typeof adapterKind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(adapterKind)) return UNAVAILABLE;
  if (typeof message === 'string' && NODE_POSTGRES_MESSAGES.test(message)) return UNAVAILABLE;
  return undefined;
}
