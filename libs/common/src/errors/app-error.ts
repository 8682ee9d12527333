import { HttpException, HttpStatus } from '@nestjs/common';

/** Error body every HTTP error and socket ack shares. Clients branch on `code`. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** A domain error with a stable snake_case code. Thrown by services; rendered by the filters. */
export class AppError extends HttpException {
  /** Sent as `Retry-After` (seconds) with the HTTP error. */
  retryAfterSeconds?: number;

  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super({ code, message, details }, status);
  }

  /** Tells the client when to try again (`Retry-After`), e.g. for work still in progress. */
  retryAfter(seconds: number): this {
    this.retryAfterSeconds = seconds;
    return this;
  }

  static validation(details: unknown, message = 'Request is invalid') {
    return new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', message, details);
  }
  static unauthorized(message = 'Invalid credentials', code = 'unauthorized') {
    return new AppError(HttpStatus.UNAUTHORIZED, code, message);
  }
  static forbidden(message = 'Not allowed', code = 'forbidden') {
    return new AppError(HttpStatus.FORBIDDEN, code, message);
  }
  static notFound(what: string) {
    return new AppError(HttpStatus.NOT_FOUND, 'not_found', `${what} not found`);
  }
  static conflict(code: string, message: string, details?: unknown) {
    return new AppError(HttpStatus.CONFLICT, code, message, details);
  }
  static unprocessable(code: string, message: string, details?: unknown) {
    return new AppError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, details);
  }
  static rateLimited(message = 'Too many requests, slow down') {
    return new AppError(HttpStatus.TOO_MANY_REQUESTS, 'rate_limited', message);
  }
}
