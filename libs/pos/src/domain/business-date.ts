const formatters = new Map<string, Intl.DateTimeFormat>();

/** The store's calendar day (YYYY-MM-DD) at instant `at`, in its IANA time zone. Daily totals are keyed by it. */
export function businessDate(at: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => format.formatToParts(at).find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A YYYY-MM-DD day as Prisma reads and writes a @db.Date column: midnight UTC. */
export const toDateColumn = (day: string) => new Date(`${day}T00:00:00.000Z`);
export const fromDateColumn = (column: Date) => column.toISOString().slice(0, 10);
