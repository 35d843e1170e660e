import type { DayReportRow } from '@luot/protocol';

/** Report periods, in the browser's local days (on the center's LAN, its clock is the center's). */
export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'custom';

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

function parseDay(s: string): Date {
  const [y, m, d] = s.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/**
 * The day, the Monday-to-Sunday week, the calendar month, the quarter (Q1 January-March, ...) or
 * the calendar year that contains `anchor`. A year is at most 366 days, the reports' limit.
 */
export function periodRange(kind: Exclude<PeriodKind, 'custom'>, anchor: string): { from: string; to: string } {
  const a = parseDay(anchor);
  if (kind === 'day') return { from: anchor, to: anchor };
  if (kind === 'week') {
    const mondayOffset = (a.getDay() + 6) % 7;
    const from = new Date(a.getFullYear(), a.getMonth(), a.getDate() - mondayOffset);
    const to = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 6);
    return { from: isoDay(from), to: isoDay(to) };
  }
  if (kind === 'quarter') {
    const first = a.getMonth() - (a.getMonth() % 3);
    return { from: isoDay(new Date(a.getFullYear(), first, 1)), to: isoDay(new Date(a.getFullYear(), first + 3, 0)) };
  }
  if (kind === 'year') return { from: `${a.getFullYear()}-01-01`, to: `${a.getFullYear()}-12-31` };
  return { from: isoDay(new Date(a.getFullYear(), a.getMonth(), 1)), to: isoDay(new Date(a.getFullYear(), a.getMonth() + 1, 0)) };
}

/** "Quý 4/2026", "Tháng 11/2026", ... : the period's name as a report title says it. */
export function periodName(kind: PeriodKind, anchor: string, range: { from: string; to: string }): { vi: string; en: string } {
  const a = parseDay(anchor);
  const dm = (s: string) => `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
  switch (kind) {
    case 'day':
      return { vi: `Ngày ${dm(anchor)}`, en: anchor };
    case 'month':
      return { vi: `Tháng ${a.getMonth() + 1}/${a.getFullYear()}`, en: `${a.getFullYear()}-${pad(a.getMonth() + 1)}` };
    case 'quarter': {
      const q = Math.floor(a.getMonth() / 3) + 1;
      return { vi: `Quý ${q}/${a.getFullYear()}`, en: `Q${q} ${a.getFullYear()}` };
    }
    case 'year':
      return { vi: `Năm ${a.getFullYear()}`, en: String(a.getFullYear()) };
    default:
      return { vi: `${dm(range.from)} – ${dm(range.to)}`, en: `${range.from} – ${range.to}` };
  }
}

/**
 * How the trend chart groups a range: per day up to about two months (a week, a month, a custom
 * range), per month beyond (a quarter, a year), so bars stay readable.
 */
export function trendUnit(range: { from: string; to: string }): 'day' | 'month' {
  const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
  return days <= 62 ? 'day' : 'month';
}

/** One bar group of the trend chart: a day, or a month of a longer range. */
export interface TrendPoint {
  label: string;
  issued: number;
  served: number;
  /** % hài lòng, null without answers. */
  satisfied: number | null;
}

/** The report's days grouped per `unit`; a month's % hài lòng is over its answers, not an average of days. */
export function trendPoints(days: DayReportRow[], unit: 'day' | 'month'): TrendPoint[] {
  if (unit === 'day') return days.map((d) => ({ label: `${d.day.slice(8, 10)}/${d.day.slice(5, 7)}`, issued: d.issued, served: d.served, satisfied: d.satisfaction.percent }));
  const months = new Map<string, { issued: number; served: number; answers: number; satisfied: number }>();
  for (const d of days) {
    const k = d.day.slice(0, 7);
    const m = months.get(k) ?? { issued: 0, served: 0, answers: 0, satisfied: 0 };
    m.issued += d.issued;
    m.served += d.served;
    m.answers += d.satisfaction.answers;
    m.satisfied += d.satisfaction.satisfied;
    months.set(k, m);
  }
  return [...months].map(([k, m]) => ({
    label: `${k.slice(5, 7)}/${k.slice(0, 4)}`,
    issued: m.issued,
    served: m.served,
    satisfied: m.answers ? Math.round((m.satisfied / m.answers) * 1000) / 10 : null,
  }));
}
