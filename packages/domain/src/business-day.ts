/**
 * Business days and local times in the center's time zone. The day changes at local midnight
 * (Asia/Ho_Chi_Minh by default), never at the UTC day change (07:00 in Vietnam), which is where
 * a peer's daily reset deleted a morning's queue.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
  /** Offset from UTC in minutes (420 for +07:00). */
  offsetMinutes: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localTime(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), hour, minute, second);
  const offsetMinutes = Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
  return { date, hour, minute, second, weekday: WEEKDAYS.indexOf(parts.weekday ?? ''), offsetMinutes };
}

/** The business day (YYYY-MM-DD) that an instant belongs to, in the center's time zone. */
export function businessDayOf(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  return localTime(epochMs, timeZone).date;
}

/** ISO 8601 with the center's offset, e.g. 2026-11-23T08:05:00.000+07:00. */
export function toIsoWithOffset(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const t = localTime(epochMs, timeZone);
  const ms = String(((epochMs % 1000) + 1000) % 1000).padStart(3, '0');
  const sign = t.offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(t.offsetMinutes);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const hh = String(t.hour).padStart(2, '0');
  const mm = String(t.minute).padStart(2, '0');
  const ss = String(t.second).padStart(2, '0');
  return `${t.date}T${hh}:${mm}:${ss}.${ms}${off}`;
}

/** "HH:MM" -> minutes since midnight; null for anything else. */
export function parseClock(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}
