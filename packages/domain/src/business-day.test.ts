import { describe, expect, it } from 'vitest';
import { businessDayOf, localTime, parseClock, toIsoWithOffset } from './business-day.js';

describe('business day in Asia/Ho_Chi_Minh', () => {
  it('changes at local midnight (17:00 UTC), not at the UTC day change', () => {
    expect(businessDayOf(Date.parse('2026-11-23T16:59:59.999Z'))).toBe('2026-11-23');
    expect(businessDayOf(Date.parse('2026-11-23T17:00:00.000Z'))).toBe('2026-11-24');
    // 06:59 -> 07:00 in Vietnam is the UTC day change: same business day.
    expect(businessDayOf(Date.parse('2026-11-23T23:59:59Z'))).toBe('2026-11-24');
    expect(businessDayOf(Date.parse('2026-11-24T00:00:01Z'))).toBe('2026-11-24');
  });
  it('follows the configured zone', () => {
    expect(businessDayOf(Date.parse('2026-11-23T16:59:59Z'), 'UTC')).toBe('2026-11-23');
    expect(businessDayOf(Date.parse('2026-11-23T23:30:00Z'), 'UTC')).toBe('2026-11-23');
  });
  it('formats ISO 8601 with the center offset', () => {
    expect(toIsoWithOffset(Date.parse('2026-11-23T01:02:03.045Z'))).toBe('2026-11-23T08:02:03.045+07:00');
    expect(toIsoWithOffset(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Paris')).toBe('2026-07-01T14:00:00.000+02:00');
  });
  it('reads local hour, minute and weekday', () => {
    const t = localTime(Date.parse('2026-11-23T00:30:00Z'));
    expect(t).toMatchObject({ date: '2026-11-23', hour: 7, minute: 30, weekday: 1, offsetMinutes: 420 });
  });
  it('parses HH:MM and rejects anything else', () => {
    expect(parseClock('07:30')).toBe(450);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('7:30')).toBeNull();
  });
  it('agrees with Intl at every hour of a year, across DST changes', () => {
    for (const tz of ['Asia/Ho_Chi_Minh', 'Europe/Paris', 'America/New_York']) {
      for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 3_600_000 + 61_000) {
        const l = localTime(t, tz);
        const hhmm = `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
        expect(businessDayOf(t, tz)).toBe(l.date);
        expect(toIsoWithOffset(t, tz).slice(0, 16)).toBe(`${l.date}T${hhmm}`);
      }
    }
  });
});
