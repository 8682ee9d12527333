import { describe, expect, it } from 'vitest';
import { requestIdFrom } from './logger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it.each(['abc-123', 'req:2026.12.01_x', 'a'.repeat(64)])('keeps the short, plain id %s', (id) => {
    expect(requestIdFrom(id)).toBe(id);
  });

  it.each([undefined, '', 'a'.repeat(65), 'line\nbreak', 'a b', '<script>', ['one', 'two']])('replaces %j with a fresh UUID', (id) => {
    expect(requestIdFrom(id)).toMatch(UUID);
  });
});
