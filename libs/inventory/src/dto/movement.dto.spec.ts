import { describe, expect, it } from 'vitest';
import { CreateMovementSchema } from './movement.dto.js';

const ids = { workspaceId: '0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a10', productId: '0b9f3a3e-1d1c-4c57-9a51-5f3f0f4c2a11' };
const expiresAt = '2026-12-31T00:00:00Z';

describe('CreateMovementSchema', () => {
  it('takes an expiry on IN and on a positive adjustment, which then add a lot', () => {
    expect(CreateMovementSchema.safeParse({ type: 'IN', ...ids, quantity: 3, expiresAt }).success).toBe(true);
    expect(CreateMovementSchema.safeParse({ type: 'ADJUSTMENT', ...ids, quantity: 3, reason: 'found', expiresAt }).success).toBe(true);
  });

  it('refuses an expiry on a negative adjustment: it adds no goods to lot', () => {
    const parsed = CreateMovementSchema.safeParse({ type: 'ADJUSTMENT', ...ids, quantity: -3, reason: 'broken', expiresAt });
    expect(parsed.error?.issues).toMatchObject([{ path: ['expiresAt'] }]);
  });
});
