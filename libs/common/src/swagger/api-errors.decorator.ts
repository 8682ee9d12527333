import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseSchema } from '../validation/error-response.schema.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed: the request body, query or params are invalid',
  401: 'unauthorized / token_missing / token_invalid / token_expired / invalid_credentials',
  403: 'forbidden: missing permission, or a resource of another store',
  404: 'not_found: unknown, or belongs to another company',
  409: 'conflict, e.g. insufficient_stock',
  422: 'unprocessable, e.g. payment_insufficient',
  429: 'rate_limited',
};

/** Documents the error responses an endpoint can give, all with the shared ErrorResponse shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], standardSchema: ErrorResponseSchema })),
  );
