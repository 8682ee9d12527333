import { z } from 'zod';

/** The IANA zone as Intl (which computes every business date) names it, or null when Intl does not know it. */
export function canonicalTimeZone(timeZone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A store's time zone: refused unless Intl knows it, so no store can hold one that breaks its checkouts. */
export const TimeZone = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((timeZone, ctx) => {
    const canonical = canonicalTimeZone(timeZone);
    if (canonical) return canonical;
    ctx.addIssue({ code: 'custom', message: `${timeZone} is not an IANA time zone (e.g. Europe/Madrid)` });
    return z.NEVER;
  })
  .describe('IANA time zone, e.g. Europe/Madrid');

/** Day names as opening hours use them, in Intl's week order. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The weekday and minute of the day an instant shows on the wall clocks of `timeZone` (DST included, as Intl knows it). */
export function wallClock(at: Date, timeZone: string): { weekday: Weekday; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at)
    .reduce<Record<string, string>>((all, { type, value }) => ({ ...all, [type]: value }), {});
  const weekday = WEEKDAYS.find((day) => day === parts.weekday.toLowerCase())!;
  return { weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The day before, for ranges that cross midnight. */
export const dayBefore = (weekday: Weekday): Weekday => WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7];
