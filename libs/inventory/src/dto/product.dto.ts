import { z } from 'zod';
import { PageQuery, pageOf, Id } from '@retail/common';

const Sku = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore');
const Price = z.number().int().min(0).max(100_000_000).describe('Integer minor units (e.g. cents), never a float');

const ProductFields = {
  sku: Sku.describe('Unique within the company'),
  name: z.string().trim().min(1).max(200),
  price: Price,
  unit: z.string().trim().min(1).max(20),
};

export const CreateProductSchema = z
  .object({ ...ProductFields, unit: ProductFields.unit.default('unit') })
  .meta({ id: 'CreateProductRequest' });
export type CreateProductDto = z.output<typeof CreateProductSchema>;

// Built from the plain fields: a default here would overwrite what a PATCH leaves out.
export const UpdateProductSchema = z
  .object({ ...ProductFields, active: z.boolean().describe('false: kept in history and in the catalog, but no longer sold') })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one field to change')
  .meta({ id: 'UpdateProductRequest' });
export type UpdateProductDto = z.output<typeof UpdateProductSchema>;

export const ProductQuerySchema = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional().describe('Matches sku or name, case-insensitive'),
});
export type ProductQueryDto = z.output<typeof ProductQuerySchema>;

export const ProductSchema = z
  .object({
    id: Id,
    sku: z.string(),
    name: z.string(),
    price: z.number().int(),
    unit: z.string(),
    active: z.boolean().describe('Tills sell only active products'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Product' });
export const ProductPageSchema = pageOf(ProductSchema, 'ProductPage');
