import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { describeError } from './describe-error.js';

/** Renders every HTTP error as `{statusCode, code, message, details?}`. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const { status, code, message, details, retryAfter } = describeError(exception);
    if (status === 500) this.logger.error(exception); // 503s (health, an unreachable database) are expected states, not bugs
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    response.status(status).json({ statusCode: status, code, message, ...(details === undefined ? {} : { details }) });
  }
}
