import { describe, expect, it } from 'vitest';
import { escalationCheckMs } from './alert-sweep.scheduler.js';

describe('escalationCheckMs', () => {
  it('checks about five times per shortest escalation delay, between 1 and 60 seconds apart', () => {
    expect(escalationCheckMs({ ALERT: 300, WARNING: 900 })).toBe(60_000);
    expect(escalationCheckMs({ ALERT: 100, WARNING: 100 })).toBe(20_000);
    expect(escalationCheckMs({ ALERT: 5, WARNING: 5 })).toBe(1000);
    expect(escalationCheckMs({ ALERT: 1, WARNING: 1 })).toBe(1000);
  });
});
