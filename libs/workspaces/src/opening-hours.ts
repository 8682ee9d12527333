import { z } from 'zod';
import { dayBefore, wallClock, WEEKDAYS } from './time-zone.js';

const HH_MM = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time of day, HH:MM (00:00 to 23:59)')
  .describe('HH:MM, in the store time zone');
const Range = z
  .object({ open: HH_MM, close: HH_MM })
  .refine((range) => range.open !== range.close, 'A range opens and closes at different times')
  .describe('close before open: the range crosses midnight (22:00 to 02:00)');

/** `{mon..sun: [{open, close}]}`, at most 3 ranges a day, in the store's time zone; a missing day is closed. */
export const OpeningHours = z
  .object(
    Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(Range).max(3).optional()])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodOptional<z.ZodArray<typeof Range>>
    >,
  )
  .strict()
  .meta({ id: 'OpeningHours' });
export type OpeningHours = z.output<typeof OpeningHours>;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/**
 * Whether a store with these hours is open at `at`, read on its own wall clock (so a DST day's
 * 09:00 is 09:00 local). No hours at all: always open. A range closing before it opens runs past
 * midnight into the next day.
 */
export function isOpenAt(hours: OpeningHours | null, timeZone: string, at: Date): boolean {
  if (!hours) return true;
  const { weekday, minute } = wallClock(at, timeZone);
  const today = (hours[weekday] ?? []).some(({ open, close }) => {
    const [from, to] = [minutes(open), minutes(close)];
    return to > from ? minute >= from && minute < to : minute >= from;
  });
  const fromYesterday = (hours[dayBefore(weekday)] ?? []).some(
    ({ open, close }) => minutes(close) < minutes(open) && minute < minutes(close),
  );
  return today || fromYesterday;
}
