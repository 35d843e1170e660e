import { describe, expect, it } from 'vitest';
import type { CenterFigures } from '../src/figures.js';
import { freshnessOf } from '../src/dashboard/freshness.js';
import { duration, num, pct } from '../src/dashboard/format.js';
import { html } from '../src/dashboard/html.js';
import { parseRange, presetRange } from '../src/dashboard/range.js';
import { MIN_ANSWERS, rankCenters } from '../src/dashboard/ranking.js';
import { FigureSums } from '../src/dashboard/rollup.js';
import { rng } from './dashboard-fixtures.js';

/** The dashboard's pure rules: ranking, freshness, ranges, formats, escaping. */
function center(code: string, satisfied: number, answers: number, within: number | null, called = 100): CenterFigures {
  const row = {
    issued: 500,
    priority: 0,
    served: 450,
    noShow: 20,
    cancelled: 30,
    open: 0,
    wait: { count: 470, avg: 10, median: 8, p90: 20 },
    withinTarget: { called: within === null ? 0 : called, within: within === null ? 0 : Math.round((within * called) / 100), percent: within },
    satisfaction: { answers, satisfied: Math.round((satisfied * answers) / 100), dissatisfied: 0, percent: answers ? satisfied : null },
    ratings: { count: answers, average: null },
  };
  return { centerId: code.charCodeAt(0), code, name: `Trung tâm ${code}`, totals: row, byService: [] };
}

describe('ranking', () => {
  it('scores the mean of % hài lòng and within-target share; ties share a rank; too few ratings are listed last, unranked', () => {
    const r = rankCenters([
      center('a', 90, 100, 70), // 80
      center('b', 80, 200, 80), // 80, lower % hài lòng than a
      center('c', 90, 50, 70), // 80, same as a: shares a's rank
      center('d', 99, MIN_ANSWERS - 1, 99), // too few ratings
      center('e', 60, 40, null), // no target: 60 on % hài lòng alone
      center('f', 95, 0, 95), // no ratings at all
    ]);
    expect(r.map((e) => [e.code, e.rank, e.score])).toEqual([
      ['a', 1, 80],
      ['c', 1, 80],
      ['b', 3, 80],
      ['e', 4, 60],
      ['d', null, null],
      ['f', null, null],
    ]);
    expect(r.find((e) => e.code === 'd')!.flags).toEqual(['few-ratings']);
    expect(r.find((e) => e.code === 'e')!.flags).toEqual(['no-target']);
  });

  it('ranks a center with exactly the minimum number of ratings', () => {
    expect(rankCenters([center('a', 50, MIN_ANSWERS, 50)])[0]!.rank).toBe(1);
  });
});

describe('wait statistics over many days', () => {
  // The center's definitions (packages/domain summarize, apps/server report.ts), written plainly.
  const minutes = (s: number) => Math.round(s / 6) / 10;
  function plain(values: number[]) {
    const a = [...values].sort((x, y) => x - y);
    const n = a.length;
    const mid = n >> 1;
    return { median: minutes(n % 2 ? a[mid]! : (a[mid - 1]! + a[mid]!) / 2), p90: minutes(a[Math.ceil(0.9 * n) - 1]!) };
  }
  const part = (waits: number[]) =>
    ({ issued: 0, priority: 0, ended: 0, served: 0, no_show: 0, cancelled: 0, open: 0, wait_sum: String(waits.reduce((a, b) => a + b, 0)), answers: 0, satisfied: 0, dissatisfied: 0, four_count: 0, four_sum: 0, waits: Int32Array.from([...waits].sort((x, y) => x - y)) }) as any;

  it('median and p90 equal the center\'s over the union of the days, odd and even counts, a clock jump and negative waits', () => {
    const rand = rng(42);
    for (const extra of [[], [10_000_000], [-3600, -5], [2_000_000_000]]) {
      for (const n of [1, 2, 7, 10, 1001]) {
        const days = Array.from({ length: 5 }, () => Array.from({ length: Math.ceil(n / 5) }, () => Math.floor(-Math.log(1 - rand()) * 900)));
        days[0]!.push(...extra);
        const sums = new FigureSums();
        for (const d of days) sums.add(part(d), null);
        const row = sums.row();
        expect({ median: row.wait.median, p90: row.wait.p90 }, `${n} ${extra}`).toEqual(plain(days.flat()));
      }
    }
  });
});

describe('freshness', () => {
  const c = { heard: true, revoked: false, lastHeardSecondsAgo: 30, behindEvents: 0 };
  it('ok, behind, stale, lost, never, revoked', () => {
    expect(freshnessOf(c)).toBe('ok');
    expect(freshnessOf({ ...c, behindEvents: 3 })).toBe('behind');
    expect(freshnessOf({ ...c, lastHeardSecondsAgo: 11 * 60, behindEvents: 3 })).toBe('stale');
    expect(freshnessOf({ ...c, lastHeardSecondsAgo: 3 * 3600 })).toBe('lost');
    expect(freshnessOf({ ...c, heard: false, lastHeardSecondsAgo: null })).toBe('never');
    expect(freshnessOf({ ...c, revoked: true })).toBe('revoked');
  });
});

describe('ranges', () => {
  it('presets from the province date', () => {
    expect(presetRange('7d', '2026-03-02')).toEqual({ from: '2026-02-24', to: '2026-03-02' });
    expect(presetRange('last-month', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('quarter', '2026-05-20')).toEqual({ from: '2026-04-01', to: '2026-05-20' });
    expect(presetRange('90d', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
  });
  it('refuses impossible dates, reversed and over-long ranges with Vietnamese and English', () => {
    expect(parseRange({ from: '2026-02-29', to: '2026-03-01' }, '2026-03-05')).toMatchObject({ ok: false, en: 'Invalid date (YYYY-MM-DD).' });
    expect(parseRange({ from: '2026-03-02', to: '2026-03-01' }, '2026-03-05')).toMatchObject({ ok: false, vi: expect.stringContaining('Từ ngày') });
    expect(parseRange({ from: '2000-01-01', to: '2026-03-01' }, '2026-03-05')).toMatchObject({ ok: false });
    expect(parseRange({ from: '2026-03-01' }, '2026-03-05')).toEqual({ ok: true, range: { from: '2026-03-01', to: '2026-03-01' }, preset: null });
    expect(parseRange({}, '2026-03-05')).toEqual({ ok: true, range: { from: '2026-03-05', to: '2026-03-05' }, preset: 'today' });
  });
});

describe('formats and escaping', () => {
  it('writes Vietnamese numbers and durations', () => {
    expect(num(1234.5)).toBe('1.234,5');
    expect(pct(61.4)).toBe('61,4 %');
    expect(pct(null)).toBe('—');
    expect(duration(45)).toBe('45 giây');
    expect(duration(3725)).toBe('1 giờ 02 phút');
  });
  it('escapes every value, keeps fragments', () => {
    const name = '<img src=x onerror=alert(1)> & "quotes"';
    expect(html`<td>${name}</td>${html`<b>${'x'}</b>`}`.text).toBe('<td>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;</td><b>x</b>');
  });
});
