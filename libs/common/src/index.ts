export { AppError, type ErrorBody } from './errors/app-error.js';
export { describeError, isUniqueViolation, type DescribedError } from './errors/describe-error.js';
export { sqlStateOf } from './errors/database-errors.js';
export { HttpExceptionFilter } from './errors/http-exception.filter.js';
export { parseWith, toValidationIssues, validationError, type ValidationIssue } from './validation/issues.js';
export { toSafeInteger } from './validation/safe-integer.js';
export { ErrorResponseSchema } from './validation/error-response.schema.js';
export { ApiErrors } from './swagger/api-errors.decorator.js';
export {
  byCreatedAt,
  decodeCursor,
  encodeCursor,
  newestFirstAfter,
  newestFirstOrder,
  toPage,
  type Keyset,
  type Page,
} from './pagination/keyset-cursor.js';
export { PageQuery, pageOf } from './pagination/page.dto.js';
// The one id schema: DTOs take it from here, socket commands from the protocol it is defined in.
export { Id } from '@retail/realtime-protocol';
