/**
 * How the dashboard writes numbers, durations and times: Vietnamese conventions (decimal comma,
 * "12,5 phút"), the province's time zone. Pure functions.
 */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const nf = new Map<number, Intl.NumberFormat>();
/** 1234.5 -> "1.234,5" (vi-VN); null -> "—". */
export function num(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  let f = nf.get(digits);
  if (!f) nf.set(digits, (f = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits, minimumFractionDigits: 0 })));
  return f.format(n);
}

export const pct = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : `${num(n)} %`);

/** A duration in seconds as "45 giây", "12 phút", "2 giờ 05 phút", "3 ngày 4 giờ". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} giây`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} phút`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} giờ ${String(m % 60).padStart(2, '0')} phút`;
  return `${Math.floor(h / 24)} ngày ${h % 24} giờ`;
}

const dtf = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** An instant as "08:15 30/11/2026", province time. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = Object.fromEntries(dtf.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** 'YYYY-MM-DD' -> '30/11/2026'. */
export const viDate = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

const dayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
/** The province's calendar date of an instant (ms), 'YYYY-MM-DD'. */
export const dayOf = (ms: number): string => dayFmt.format(new Date(ms));
