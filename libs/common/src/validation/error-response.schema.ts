import { z } from 'zod';

/** The shape of every HTTP error, documented once in Swagger. */
export const ErrorResponseSchema = z
  .object({
    statusCode: z.number().int(),
    code: z.string().describe('Stable snake_case error code, e.g. validation_failed, not_found, insufficient_stock'),
    message: z.string(),
    details: z.unknown().optional(),
  })
  .meta({ id: 'ErrorResponse' });
