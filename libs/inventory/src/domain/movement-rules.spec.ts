import { describe, expect, it } from 'vitest';
import { stockDeltaOnCreate, transferRestock } from './movement-rules.js';

describe('stockDeltaOnCreate', () => {
  it('adds IN and RETURN, removes OUT, SALE and TRANSFER, keeps the sign of ADJUSTMENT', () => {
    expect(stockDeltaOnCreate('IN', 4)).toBe(4);
    expect(stockDeltaOnCreate('RETURN', 4)).toBe(4);
    expect(stockDeltaOnCreate('OUT', 4)).toBe(-4);
    expect(stockDeltaOnCreate('SALE', 4)).toBe(-4);
    expect(stockDeltaOnCreate('TRANSFER', 4)).toBe(-4);
    expect(stockDeltaOnCreate('ADJUSTMENT', -2)).toBe(-2);
    expect(stockDeltaOnCreate('ADJUSTMENT', 2)).toBe(2);
  });
});

describe('transferRestock', () => {
  it('restocks the destination on RECEIVED and the source on CANCELLED', () => {
    expect(transferRestock('PENDING', 'RECEIVED')).toBe('destination');
    expect(transferRestock('IN_TRANSIT', 'RECEIVED')).toBe('destination');
    expect(transferRestock('PENDING', 'CANCELLED')).toBe('source');
    expect(transferRestock('IN_TRANSIT', 'CANCELLED')).toBe('source');
    expect(transferRestock('PENDING', 'IN_TRANSIT')).toBeNull();
  });

  it('refuses going back, staying put, or leaving a final status', () => {
    expect(transferRestock('IN_TRANSIT', 'PENDING')).toBeUndefined();
    expect(transferRestock('PENDING', 'PENDING')).toBeUndefined();
    expect(transferRestock('RECEIVED', 'CANCELLED')).toBeUndefined();
    expect(transferRestock('CANCELLED', 'RECEIVED')).toBeUndefined();
  });
});
