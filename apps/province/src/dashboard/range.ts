/**
 * The date range of a report: from/to business days (inclusive) from the query string, or a
 * preset. Pure: `today` is passed in (the province's date, format.ts dayOf).
 */
export interface DayRange {
  from: string;
  to: string;
}

export const MAX_RANGE_DAYS = 3660; // ten years: a mistyped year is refused, not computed

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
export const addDays = (d: string, n: number): string => iso(ms(d) + n * 86_400_000);
export const isDay = (d: unknown): d is string => typeof d === 'string' && DAY.test(d) && iso(ms(d)) === d;
export const daysIn = (r: DayRange): number => Math.round((ms(r.to) - ms(r.from)) / 86_400_000) + 1;

export const PRESETS = [
  { id: 'today', vi: 'Hôm nay', en: 'Today' },
  { id: 'yesterday', vi: 'Hôm qua', en: 'Yesterday' },
  { id: '7d', vi: '7 ngày qua', en: 'Last 7 days' },
  { id: 'month', vi: 'Tháng này', en: 'This month' },
  { id: 'last-month', vi: 'Tháng trước', en: 'Last month' },
  { id: 'quarter', vi: 'Quý này', en: 'This quarter' },
  { id: '90d', vi: '90 ngày qua', en: 'Last 90 days' },
  { id: 'year', vi: 'Năm nay', en: 'This year' },
] as const;
export type Preset = (typeof PRESETS)[number]['id'];

export function presetRange(p: Preset, today: string): DayRange {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const monthStart = (yy: number, mm: number) => `${yy}-${String(mm).padStart(2, '0')}-01`;
  switch (p) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case '7d':
      return { from: addDays(today, -6), to: today };
    case 'month':
      return { from: monthStart(y, m), to: today };
    case 'last-month': {
      const first = m === 1 ? monthStart(y - 1, 12) : monthStart(y, m - 1);
      return { from: first, to: addDays(monthStart(y, m), -1) };
    }
    case 'quarter':
      return { from: monthStart(y, Math.floor((m - 1) / 3) * 3 + 1), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case 'year':
      return { from: `${y}-01-01`, to: today };
  }
}

export type RangeResult = { ok: true; range: DayRange; preset: Preset | null } | { ok: false; vi: string; en: string };

/** Reads ?preset= or ?from=&to= (today when neither is given). */
export function parseRange(q: { from?: unknown; to?: unknown; preset?: unknown }, today: string): RangeResult {
  const preset = PRESETS.find((p) => p.id === q.preset)?.id ?? null;
  if (preset) return { ok: true, range: presetRange(preset, today), preset };
  if (q.from === undefined && q.to === undefined) return { ok: true, range: { from: today, to: today }, preset: 'today' };
  const from = q.from ?? q.to;
  const to = q.to ?? q.from;
  if (!isDay(from) || !isDay(to)) return { ok: false, vi: 'Ngày không hợp lệ (dạng YYYY-MM-DD).', en: 'Invalid date (YYYY-MM-DD).' };
  if (from > to) return { ok: false, vi: '"Từ ngày" phải trước hoặc bằng "Đến ngày".', en: '"From" must not be after "To".' };
  if (daysIn({ from, to }) > MAX_RANGE_DAYS) return { ok: false, vi: 'Khoảng ngày quá dài (tối đa 10 năm).', en: 'Range too long (at most 10 years).' };
  return { ok: true, range: { from, to }, preset: null };
}
