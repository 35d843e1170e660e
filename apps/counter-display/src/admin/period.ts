/** Report periods, in the browser's local days (on the center's LAN, its clock is the center's). */
export type PeriodKind = 'day' | 'week' | 'month' | 'custom';

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

function parseDay(s: string): Date {
  const [y, m, d] = s.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/** The day, the Monday-to-Sunday week, or the calendar month that contains `anchor`. */
export function periodRange(kind: Exclude<PeriodKind, 'custom'>, anchor: string): { from: string; to: string } {
  const a = parseDay(anchor);
  if (kind === 'day') return { from: anchor, to: anchor };
  if (kind === 'week') {
    const mondayOffset = (a.getDay() + 6) % 7;
    const from = new Date(a.getFullYear(), a.getMonth(), a.getDate() - mondayOffset);
    const to = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 6);
    return { from: isoDay(from), to: isoDay(to) };
  }
  return { from: isoDay(new Date(a.getFullYear(), a.getMonth(), 1)), to: isoDay(new Date(a.getFullYear(), a.getMonth() + 1, 0)) };
}
