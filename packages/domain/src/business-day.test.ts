import { describe, expect, it } from 'vitest';
import { businessDayNow, businessDayOf, elapsedMs, localTime, parseClock, toIsoWithOffset } from './business-day.js';

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

describe('the business day never goes back', () => {
  const tz = 'Asia/Ho_Chi_Minh';
  const at = (iso: string) => Date.parse(`${iso}+07:00`);
  it('keeps the later day while the clock reads an earlier one, and follows the clock again once it passes', () => {
    expect(businessDayNow(at('2026-11-23T23:58:00'), tz, undefined)).toEqual({ day: '2026-11-23', clockBehind: false });
    expect(businessDayNow(at('2026-11-24T00:30:00'), tz, '2026-11-23')).toEqual({ day: '2026-11-24', clockBehind: false });
    // Set back an hour across midnight: still the 24th.
    expect(businessDayNow(at('2026-11-23T23:30:00'), tz, '2026-11-24')).toEqual({ day: '2026-11-24', clockBehind: true });
    expect(businessDayNow(at('2026-11-24T00:00:30'), tz, '2026-11-24')).toEqual({ day: '2026-11-24', clockBehind: false });
    expect(businessDayNow(at('2026-11-25T00:00:00'), tz, '2026-11-24')).toEqual({ day: '2026-11-25', clockBehind: false });
    // Set back by days (a dead CMOS battery): still the last day reached.
    expect(businessDayNow(at('2020-01-01T09:00:00'), tz, '2026-11-24').day).toBe('2026-11-24');
  });
  it('counts a span across a clock set back as 0, never negative', () => {
    expect(elapsedMs(1000, 5000)).toBe(4000);
    expect(elapsedMs(5000, 1000)).toBe(0);
  });
});
