import { z } from 'zod';

// Query schemas get no `.meta({id})`: Swagger expands only an inline object into query parameters.
export const PageQuery = z.object({
  cursor: z.string().max(500).optional().describe('The nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** `{items, nextCursor}`; nextCursor is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
