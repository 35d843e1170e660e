import { localTime, parseClock } from './business-day.js';

/**
 * When a service takes new tickets. `null` hours mean around the clock (the demo center).
 * Days are 0 (Sunday) to 6 (Saturday); Vietnamese centers usually work Monday to Friday and
 * Saturday morning, so each day may differ.
 */
export interface OpeningHours {
  /** "HH:MM" local time, inclusive */
  opensAt: string;
  /** "HH:MM" local time, exclusive */
  closesAt: string;
  days: number[];
}

export function isOpenAt(hours: OpeningHours | null, epochMs: number, timeZone: string): boolean {
  if (hours === null) return true;
  const t = localTime(epochMs, timeZone);
  if (!hours.days.includes(t.weekday)) return false;
  const open = parseClock(hours.opensAt);
  const close = parseClock(hours.closesAt);
  if (open === null || close === null) return false;
  const now = t.hour * 60 + t.minute;
  return now >= open && now < close;
}
