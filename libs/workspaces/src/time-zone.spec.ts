import { describe, expect, it } from 'vitest';
import { TimeZone } from './time-zone.js';

describe('TimeZone', () => {
  it('accepts IANA zones, named as Intl names them', () => {
    expect(TimeZone.parse('Europe/Madrid')).toBe('Europe/Madrid');
    expect(TimeZone.parse(' america/mexico_city ')).toBe('America/Mexico_City');
    expect(TimeZone.parse('UTC')).toBe('UTC');
  });

  it.each(['Mars/Olympus_Mons', 'Europe/Madird', '', 'GMT+25'])('refuses %j', (zone) => {
    expect(TimeZone.safeParse(zone).success).toBe(false);
  });
});
