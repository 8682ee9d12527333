import { describe, expect, it } from 'vitest';
import { businessDate, fromDateColumn, toDateColumn } from './business-date.js';

describe('businessDate', () => {
  const lateUtc = new Date('2026-03-10T23:30:00Z');

  it("follows the store's time zone, not the server's", () => {
    expect(businessDate(lateUtc, 'UTC')).toBe('2026-03-10');
    expect(businessDate(lateUtc, 'Europe/Madrid')).toBe('2026-03-11'); // UTC+1
    expect(businessDate(lateUtc, 'America/Mexico_City')).toBe('2026-03-10'); // UTC-6
    expect(businessDate(new Date('2026-03-10T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-09');
  });

  it('handles daylight saving changes and half-hour zones', () => {
    // Europe/Madrid switches to UTC+2 on 2026-03-29 at 01:00 UTC.
    expect(businessDate(new Date('2026-03-29T22:30:00Z'), 'Europe/Madrid')).toBe('2026-03-30');
    expect(businessDate(new Date('2026-03-28T22:30:00Z'), 'Europe/Madrid')).toBe('2026-03-28');
    expect(businessDate(new Date('2026-01-01T18:45:00Z'), 'Asia/Kolkata')).toBe('2026-01-02'); // UTC+5:30
  });

  it('round-trips through a date column', () => {
    expect(toDateColumn('2026-03-11').toISOString()).toBe('2026-03-11T00:00:00.000Z');
    expect(fromDateColumn(toDateColumn('2026-03-11'))).toBe('2026-03-11');
  });
});
