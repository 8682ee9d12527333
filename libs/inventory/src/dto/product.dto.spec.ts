import { describe, expect, it } from 'vitest';
import { CreateProductSchema, UpdateProductSchema } from './product.dto.js';

describe('product DTOs', () => {
  it('defaults the unit on create only, so a PATCH keeps what it leaves out', () => {
    expect(CreateProductSchema.parse({ sku: 'A-1', name: 'A', price: 100 })).toMatchObject({ unit: 'unit' });
    expect(UpdateProductSchema.parse({ price: 5 })).toEqual({ price: 5 });
  });

  it('refuses float prices, negative prices and empty patches', () => {
    expect(CreateProductSchema.safeParse({ sku: 'A-1', name: 'A', price: 1.5 }).success).toBe(false);
    expect(CreateProductSchema.safeParse({ sku: 'A-1', name: 'A', price: -1 }).success).toBe(false);
    expect(UpdateProductSchema.safeParse({}).success).toBe(false);
  });
});
