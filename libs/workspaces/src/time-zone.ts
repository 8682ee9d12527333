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
