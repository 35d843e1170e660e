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

/**
 * The zone's offset at an instant, cached per UTC hour: Intl's formatToParts costs tens of
 * microseconds, and a snapshot formats thousands of times. Offsets change (DST) on hour
 * boundaries in practice, so one lookup per zone and hour is exact.
 */
const offsetCache = new Map<string, number>();
function offsetMinutesAt(epochMs: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(epochMs / 3_600_000)}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    if (offsetCache.size > 10_000) offsetCache.clear();
    off = localTime(epochMs, timeZone).offsetMinutes;
    offsetCache.set(key, off);
  }
  return off;
}

/** The local wall-clock time as an ISO string without offset ("2026-11-23T08:05:00.000"). */
function localIso(epochMs: number, timeZone: string): { iso: string; offsetMinutes: number } {
  const offsetMinutes = offsetMinutesAt(epochMs, timeZone);
  return { iso: new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23), offsetMinutes };
}

/** The business day (YYYY-MM-DD) that an instant belongs to, in the center's time zone. */
export function businessDayOf(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  return localIso(epochMs, timeZone).iso.slice(0, 10);
}

/**
 * The business day the server is in: the clock's day, but never earlier than the last business
 * day the server reached (stored). A clock set back across midnight (a wrong clock corrected, an
 * NTP step) would otherwise take the day 24 -> 23 -> 24: yesterday's numbers handed out again and
 * tickets issued "at 23:58" closed as day_ended two minutes later. While the clock is behind the
 * later day is kept; once the clock passes it again, days follow the clock as before.
 * `clockBehind`: the clock reads a day earlier than the one kept.
 */
export function businessDayNow(epochMs: number, timeZone: string, lastReached: string | undefined): { day: string; clockBehind: boolean } {
  const byClock = businessDayOf(epochMs, timeZone);
  // YYYY-MM-DD compares as text.
  if (lastReached !== undefined && lastReached > byClock) return { day: lastReached, clockBehind: true };
  return { day: byClock, clockBehind: false };
}

/**
 * Time from `from` to `to` on the wall clock, never negative: when the clock was set back between
 * the two instants the difference would be, and a wait of "-55 minutes" means nothing. Such a
 * span counts as 0.
 */
export function elapsedMs(from: number, to: number): number {
  return Math.max(0, to - from);
}

/** ISO 8601 with the center's offset, e.g. 2026-11-23T08:05:00.000+07:00. */
export function toIsoWithOffset(epochMs: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const { iso, offsetMinutes } = localIso(epochMs, timeZone);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${iso}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "HH:MM" -> minutes since midnight; null for anything else. */
export function parseClock(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}
