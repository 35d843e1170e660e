import { describe, expect, it } from 'vitest';
import type { DayReportRow } from '@luot/protocol';
import { periodName, periodRange, trendPoints, trendUnit } from './period.js';
import { waitLevel } from './dashboard-level.js';

describe('report periods', () => {
  it('a day is itself', () => expect(periodRange('day', '2025-03-05')).toEqual({ from: '2025-03-05', to: '2025-03-05' }));
  it('a week runs Monday to Sunday, across a month end', () => {
    expect(periodRange('week', '2025-03-05')).toEqual({ from: '2025-03-03', to: '2025-03-09' });
    expect(periodRange('week', '2025-03-02')).toEqual({ from: '2025-02-24', to: '2025-03-02' }); // a Sunday
  });
  it('a month is the calendar month, leap years included', () => {
    expect(periodRange('month', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange('month', '2025-12-31')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
  it('a quarter is three calendar months, Q1 from January', () => {
    expect(periodRange('quarter', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange('quarter', '2026-05-17')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(periodRange('quarter', '2026-09-30')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(periodRange('quarter', '2026-11-23')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodRange('quarter', '2024-02-29')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
  });
  it('a year is the calendar year (366 days in a leap year, the reports’ limit)', () => {
    expect(periodRange('year', '2026-11-23')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    const leap = periodRange('year', '2024-06-01');
    expect((Date.parse(leap.to) - Date.parse(leap.from)) / 86_400_000).toBe(365);
  });
  it('names each period as a report title says it', () => {
    expect(periodName('quarter', '2026-11-23', periodRange('quarter', '2026-11-23'))).toEqual({ vi: 'Quý 4/2026', en: 'Q4 2026' });
    expect(periodName('month', '2026-02-03', periodRange('month', '2026-02-03'))).toEqual({ vi: 'Tháng 2/2026', en: '2026-02' });
    expect(periodName('year', '2026-02-03', periodRange('year', '2026-02-03')).vi).toBe('Năm 2026');
    expect(periodName('custom', '2026-02-03', { from: '2026-02-03', to: '2026-02-10' }).vi).toBe('03/02/2026 – 10/02/2026');
  });
  it('draws the trend per day inside a week or a month, per month beyond', () => {
    expect(trendUnit(periodRange('week', '2026-11-23'))).toBe('day');
    expect(trendUnit(periodRange('month', '2026-12-01'))).toBe('day');
    expect(trendUnit(periodRange('quarter', '2026-11-23'))).toBe('month');
    expect(trendUnit(periodRange('year', '2026-11-23'))).toBe('month');
  });
});

describe('the trend chart', () => {
  const day = (d: string, issued: number, served: number, answers: number, satisfied: number): DayReportRow => ({
    day: d,
    issued,
    served,
    noShow: 0,
    cancelled: issued - served,
    priority: 0,
    waitAvg: null,
    withinTarget: { called: 0, within: 0, percent: null },
    satisfaction: { answers, satisfied, dissatisfied: 0, percent: answers ? Math.round((satisfied / answers) * 1000) / 10 : null },
  });
  const days = [day('2026-10-30', 10, 9, 4, 3), day('2026-10-31', 0, 0, 0, 0), day('2026-11-02', 20, 18, 6, 6)];
  it('has a bar per day, and a day without answers has no % hài lòng', () => {
    expect(trendPoints(days, 'day')).toEqual([
      { label: '30/10', issued: 10, served: 9, satisfied: 75 },
      { label: '31/10', issued: 0, served: 0, satisfied: null },
      { label: '02/11', issued: 20, served: 18, satisfied: 100 },
    ]);
  });
  it('sums a month over its answers (6 of 6 and 3 of 4 are 9 of 10 = 90 %, not the mean of 100 and 75)', () => {
    const both = [...days, day('2026-11-03', 5, 5, 4, 3)];
    expect(trendPoints(both, 'month')).toEqual([
      { label: '10/2026', issued: 10, served: 9, satisfied: 75 },
      { label: '11/2026', issued: 25, served: 23, satisfied: 90 },
    ]);
  });
});

describe('dashboard wait level', () => {
  const min = 60_000;
  it('is amber above 75 % of the target and red above it', () => {
    expect(waitLevel(null, 20)).toBe('none');
    expect(waitLevel(10 * min, undefined)).toBe('none');
    expect(waitLevel(15 * min, 20)).toBe('ok');
    expect(waitLevel(15 * min + 1, 20)).toBe('amber');
    expect(waitLevel(20 * min, 20)).toBe('amber');
    expect(waitLevel(20 * min + 1, 20)).toBe('red');
  });
});
