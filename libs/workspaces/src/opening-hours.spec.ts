import { describe, expect, it } from 'vitest';
import { isOpenAt, OpeningHours } from './opening-hours.js';

const weekdays = OpeningHours.parse({ mon: [{ open: '09:00', close: '21:00' }], fri: [{ open: '22:00', close: '02:00' }] });

describe('isOpenAt', () => {
  it('is open within a range and closed outside it, on the store clock', () => {
    // Monday 2026-12-07, Madrid is UTC+1 in winter.
    expect(isOpenAt(weekdays, 'Europe/Madrid', new Date('2026-12-07T08:30:00Z'))).toBe(true); // 09:30
    expect(isOpenAt(weekdays, 'Europe/Madrid', new Date('2026-12-07T07:30:00Z'))).toBe(false); // 08:30
    expect(isOpenAt(weekdays, 'Europe/Madrid', new Date('2026-12-07T20:00:00Z'))).toBe(false); // 21:00, closed
  });

  it('runs a range that crosses midnight into the next day', () => {
    expect(isOpenAt(weekdays, 'UTC', new Date('2026-12-11T23:00:00Z'))).toBe(true); // Fri 23:00
    expect(isOpenAt(weekdays, 'UTC', new Date('2026-12-12T01:59:00Z'))).toBe(true); // Sat 01:59
    expect(isOpenAt(weekdays, 'UTC', new Date('2026-12-12T02:00:00Z'))).toBe(false); // Sat 02:00
    expect(isOpenAt(weekdays, 'UTC', new Date('2026-12-11T21:59:00Z'))).toBe(false); // Fri 21:59
  });

  it('follows daylight saving time: 09:00 local on both sides of the change', () => {
    const sunday = OpeningHours.parse({ sun: [{ open: '09:00', close: '10:00' }] });
    // 2026-03-29: Madrid goes from UTC+1 to UTC+2 at 02:00.
    expect(isOpenAt(sunday, 'Europe/Madrid', new Date('2026-03-29T07:30:00Z'))).toBe(true); // 09:30 CEST
    expect(isOpenAt(sunday, 'Europe/Madrid', new Date('2026-03-29T08:30:00Z'))).toBe(false); // 10:30 CEST
    expect(isOpenAt(sunday, 'Europe/Madrid', new Date('2026-03-22T08:30:00Z'))).toBe(true); // 09:30 CET a week before
  });

  it('is always open without hours, and closed on a missing day', () => {
    expect(isOpenAt(null, 'UTC', new Date('2026-12-08T12:00:00Z'))).toBe(true);
    expect(isOpenAt(weekdays, 'UTC', new Date('2026-12-08T12:00:00Z'))).toBe(false); // Tuesday
  });

  it('refuses more than 3 ranges a day, bad times and unknown days', () => {
    const range = { open: '09:00', close: '10:00' };
    expect(OpeningHours.safeParse({ mon: [range, range, range, range] }).success).toBe(false);
    expect(OpeningHours.safeParse({ mon: [{ open: '24:00', close: '10:00' }] }).success).toBe(false);
    expect(OpeningHours.safeParse({ funday: [range] }).success).toBe(false);
  });
});
