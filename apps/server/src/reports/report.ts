import { businessDayOf, localTime, percentShares, summarize } from '@luot/domain';
import {
  isDissatisfied,
  isSatisfied,
  RATING_LEVELS,
  RATING_REASONS,
  ratingLevelOf,
  type DayReportRow,
  type DurationStats,
  type RatingLevel,
  type RatingReason,
  type RatingScale,
  type Report,
  type ReportQuery,
  type ReportRow,
  type SatisfactionFigures,
  type ServiceReportRow,
  type WithinTargetFigures,
} from '@luot/protocol';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';

/**
 * Reports for a range of business days.
 *
 * Speed: a closed day (before today) is summed once into `report_daily` (per scope: the center,
 * each service, counter and officer) and read back from there; only today is summed live from
 * the tickets. A year of a busy center is then ~3,000 small rows, not 200,000 tickets
 * (docs/benchmarks.md). A rating (or its reason) that arrives after midnight for the day before
 * drops that day's rows, and they are summed again on the next report.
 *
 * Conventions, written here because a director will compare them with paper records:
 * - a ticket belongs to the business day it was issued on, even if served after midnight;
 * - "issued" (the "Tickets" column) counts, for a service, the tickets taken for it, and for a
 *   counter or an officer, the tickets that ended there; outcome, wait and service time count
 *   where the ticket ended (a transferred ticket is served, and counted, in its new service, and
 *   not at the counter or officer that passed it on). So a service row balances with its
 *   transfers: issued + transferred in - transferred out = served + no-show + cancelled + open;
 * - "priority" counts priority tickets the same way as "issued";
 * - wait = issued -> (last) called; service time = called -> done; no-shows have a wait but no
 *   service time; durations in whole seconds, shown in minutes with one decimal; median and
 *   90th percentile by nearest rank;
 * - "within target": of the tickets with a wait (called: served or no-show) in a service with a
 *   target wait (its target now, so a changed target applies to the whole range), the share
 *   whose wait was at most that target; a transferred ticket is held to its last service's target;
 * - "% hài lòng" (Decision 766/QĐ-TTg): answers at Rất hài lòng or Hài lòng over all answers,
 *   whatever scale (3, 4 or 5 levels) each was given on; a rating counts where its ticket ended.
 */
type Scope = 'total' | 'service' | 'issue_service' | 'counter' | 'officer';
type Raw = [
  serviceId: number,
  issueServiceId: number,
  counterId: number | null,
  officerId: number | null,
  status: string,
  issuedAt: number,
  calledAt: number | null,
  completedAt: number | null,
  priority: number,
  scale: RatingScale | null,
  score: number | null,
  reason: RatingReason | null,
];

/**
 * Rating counts as one flat array, the `ratings` JSON of format 2 (a year's report parses ~3,000
 * of them, so it is kept as short as format 1's): slots 0-2 the scores 1-3 on 3 levels, 3-6 the
 * scores 1-4 on 4 levels, 7-11 the scores 1-5 on 5 levels, 12-15 the reasons in RATING_REASONS
 * order. "[]" when all are zero (most scopes of most days). Format 1 was [c1, c2, c3, c4] on 4
 * levels.
 */
const SLOTS = 16;
const SCALE_AT: Record<RatingScale, number> = { 3: 0, 4: 3, 5: 7 };
const REASON_AT = 12;
const SCALES = [3, 4, 5] as const;
const emptyRatings = () => new Array<number>(SLOTS).fill(0);

/** Sums for one scope over one or more days. */
class Sums {
  issued = 0;
  served = 0;
  noShow = 0;
  cancelled = 0;
  open = 0;
  /** null once a day without these counts (format 1, summed before issue 15) is merged in. */
  priority: number | null = 0;
  transferIn: number | null = 0;
  transferOut: number | null = 0;
  ratings = emptyRatings();
  waits: number[] = [];
  services: number[] = [];
  waitChunks: Int32Array[] = [];
  serviceChunks: Int32Array[] = [];
  arrivals = new Array<number>(24).fill(0);

  addOutcome(status: string, wait: number | null, service: number | null, scale: RatingScale | null, score: number | null, reason: RatingReason | null) {
    if (status === 'done') this.served++;
    else if (status === 'no_show') this.noShow++;
    else if (status === 'cancelled') this.cancelled++;
    else this.open++;
    if (wait !== null) this.waits.push(wait);
    if (service !== null) this.services.push(service);
    if (scale !== null && score !== null && score >= 1 && score <= scale) {
      this.ratings[SCALE_AT[scale] + score - 1]!++;
      if (reason !== null) this.ratings[REASON_AT + RATING_REASONS.indexOf(reason)]!++;
    }
  }

  /** Adds one stored day; returns what it read, so the day's own figures need no second read. */
  merge(r: RollupRow): { ratings: number[] | null; waits: Int32Array } {
    this.issued += r.issued;
    this.served += r.served;
    this.noShow += r.no_show;
    this.cancelled += r.cancelled;
    this.open += r.open;
    if (r.format >= 2) {
      if (this.priority !== null) this.priority += r.priority ?? 0;
      if (this.transferIn !== null) this.transferIn += r.transfer_in ?? 0;
      if (this.transferOut !== null) this.transferOut += r.transfer_out ?? 0;
    } else {
      this.priority = this.transferIn = this.transferOut = null;
    }
    const ratings = readRatings(r);
    if (ratings) for (let i = 0; i < SLOTS; i++) this.ratings[i]! += ratings[i]!;
    const waits = int32(r.waits);
    this.waitChunks.push(waits);
    this.serviceChunks.push(int32(r.services));
    const arrivals = int32(r.arrivals);
    for (let h = 0; h < arrivals.length && h < 24; h++) this.arrivals[h]! += arrivals[h]!;
    return { ratings, waits };
  }

  /** Waits of this scope as one view per piece (no copy). */
  waitPieces(): (number[] | Int32Array)[] {
    return [this.waits, ...this.waitChunks];
  }

  private all(list: number[], chunks: Int32Array[]): Int32Array {
    const out = new Int32Array(list.length + chunks.reduce((n, c) => n + c.length, 0));
    out.set(list);
    let at = list.length;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  satisfaction(): SatisfactionFigures {
    return satisfactionOf(levelCounts(this.ratings));
  }

  row(): ReportRow {
    const four = this.ratings.slice(SCALE_AT[4], SCALE_AT[4] + 4);
    const fourCount = four.reduce((a, b) => a + b, 0);
    const fourSum = four.reduce((a, n, i) => a + n * (i + 1), 0);
    const satisfaction = this.satisfaction();
    return {
      issued: this.issued,
      served: this.served,
      noShow: this.noShow,
      cancelled: this.cancelled,
      open: this.open,
      priority: this.priority,
      wait: stats(this.all(this.waits, this.waitChunks)),
      service: stats(this.all(this.services, this.serviceChunks)),
      ratings: { count: satisfaction.answers, average: fourCount ? Math.round((fourSum / fourCount) * 100) / 100 : null },
      satisfaction,
    };
  }

  rollup(day: string, scope: Scope, key: number): RollupRow {
    return {
      business_day: day,
      scope,
      key,
      format: 2,
      issued: this.issued,
      served: this.served,
      no_show: this.noShow,
      cancelled: this.cancelled,
      open: this.open,
      priority: this.priority ?? 0,
      transfer_in: this.transferIn ?? 0,
      transfer_out: this.transferOut ?? 0,
      ratings: this.ratings.some((n) => n !== 0) ? JSON.stringify(this.ratings) : '[]',
      waits: blob(this.waits),
      services: blob(this.services),
      arrivals: blob(this.arrivals),
    };
  }
}

interface RollupRow {
  business_day: string;
  scope: Scope;
  key: number;
  /** 1: summed before issue 15 (ratings [c1..c4] on 4 levels, no priority or transfers); 2: now. */
  format: number;
  issued: number;
  served: number;
  no_show: number;
  cancelled: number;
  open: number;
  priority: number | null;
  transfer_in: number | null;
  transfer_out: number | null;
  ratings: string;
  waits: Buffer;
  services: Buffer;
  arrivals: Buffer;
}

/** The stored counts in the format-2 layout, or null when there are none. */
function readRatings(r: RollupRow): number[] | null {
  if (r.ratings === '[]') return null;
  const parsed = JSON.parse(r.ratings) as number[];
  if (r.format >= 2) return parsed.length === SLOTS ? parsed : null;
  // Format 1: counts of scores 1..4 on the 4-level scale, no reasons.
  const out = emptyRatings();
  for (let i = 0; i < 4; i++) out[SCALE_AT[4] + i] = Number(parsed[i] ?? 0);
  return out;
}

// The level of each score slot, worked out once.
const SLOT_LEVEL: (RatingLevel | null)[] = Array.from({ length: REASON_AT }, (_, i) => {
  const scale = i < SCALE_AT[4] ? 3 : i < SCALE_AT[5] ? 4 : 5;
  return ratingLevelOf(scale, i - SCALE_AT[scale] + 1);
});

function levelCounts(c: readonly number[] | null): Record<RatingLevel, number> {
  const out = { very_satisfied: 0, satisfied: 0, neutral: 0, dissatisfied: 0, very_dissatisfied: 0 };
  if (c) for (let i = 0; i < REASON_AT; i++) if (c[i]) out[SLOT_LEVEL[i]!] += c[i]!;
  return out;
}

const percentOf = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);

function satisfactionOf(levels: Record<RatingLevel, number>): SatisfactionFigures {
  let answers = 0;
  let satisfied = 0;
  let dissatisfied = 0;
  for (const l of RATING_LEVELS) {
    answers += levels[l];
    if (isSatisfied(l)) satisfied += levels[l];
    if (isDissatisfied(l)) dissatisfied += levels[l];
  }
  return { answers, satisfied, dissatisfied, percent: percentOf(satisfied, answers) };
}

/** Of these waits (seconds), how many are at most `targetMinutes`. */
function countWithin(pieces: (number[] | Int32Array)[], targetMinutes: number): { called: number; within: number } {
  const limit = targetMinutes * 60;
  let called = 0;
  let within = 0;
  for (const p of pieces) {
    called += p.length;
    for (let i = 0; i < p.length; i++) if (p[i]! <= limit) within++;
  }
  return { called, within };
}
const withinFigures = (called: number, within: number): WithinTargetFigures => ({ called, within, percent: percentOf(within, called) });

// A view when the Buffer is 4-byte aligned (the usual case), a copy otherwise.
const int32 = (b: Buffer) =>
  b.byteOffset % 4 === 0 ? new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4) : new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const blob = (values: number[]) => Buffer.from(Int32Array.from(values).buffer);
const minutes = (seconds: number) => Math.round(seconds / 6) / 10;
function stats(seconds: Int32Array): DurationStats {
  const s = summarize(seconds);
  return {
    count: s.count,
    avg: s.avg === null ? null : minutes(s.avg),
    median: s.median === null ? null : minutes(s.median),
    p90: s.p90 === null ? null : minutes(s.p90),
  };
}

/** All scopes of a set of days, keyed "scope:key". */
class ScopeSums extends Map<string, Sums> {
  at(scope: Scope, key: number): Sums {
    const k = `${scope}:${key}`;
    let s = this.get(k);
    if (!s) this.set(k, (s = new Sums()));
    return s;
  }
}

/** Every day from `from` to `to` (YYYY-MM-DD), in order. */
function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export function createReports(db: Db, repos: Repos, clock: Clock) {
  const dayTickets = db
    .prepare<[string]>(
      `SELECT t.service_id, t.issue_service_id, t.counter_id, t.officer_id, t.status, t.issued_at, t.called_at, t.completed_at, t.priority, r.scale, r.score, r.reason
       FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.id WHERE t.business_day = ?`,
    )
    .raw(true);
  // The days of a range that have tickets (an index-only scan: ~13 ms for a year of 200,000).
  const daysWithTickets = db.prepare<[string, string], { d: string }>('SELECT business_day AS d FROM tickets WHERE business_day BETWEEN ? AND ? GROUP BY business_day');
  const rollups = db.prepare<[string, string], RollupRow>('SELECT * FROM report_daily WHERE business_day BETWEEN ? AND ?');
  const dropDay = db.prepare('DELETE FROM report_daily WHERE business_day = ?');
  const insertRollup = db.prepare(
    `INSERT OR REPLACE INTO report_daily (business_day, scope, key, format, issued, served, no_show, cancelled, open, priority, transfer_in, transfer_out, ratings, waits, services, arrivals)
     VALUES (@business_day, @scope, @key, @format, @issued, @served, @no_show, @cancelled, @open, @priority, @transfer_in, @transfer_out, @ratings, @waits, @services, @arrivals)`,
  );

  /** Sums one day's tickets into every scope. */
  function sumDay(day: string, timeZone: string): ScopeSums {
    const out = new ScopeSums();
    const hourOffset = new Map<number, number>();
    const localHour = (ms: number) => {
      const h = Math.floor(ms / 3_600_000);
      let off = hourOffset.get(h);
      if (off === undefined) hourOffset.set(h, (off = localTime(ms, timeZone).offsetMinutes));
      return new Date(ms + off * 60_000).getUTCHours();
    };
    const total = out.at('total', 0);
    for (const r of dayTickets.all(day) as Raw[]) {
      const [serviceId, issueServiceId, counterId, officerId, status, issuedAt, calledAt, completedAt, priority, scale, score, reason] = r;
      const wait = calledAt !== null && status !== 'waiting' && status !== 'cancelled' ? Math.floor((calledAt - issuedAt) / 1000) : null;
      const service = status === 'done' && calledAt !== null && completedAt !== null ? Math.floor((completedAt - calledAt) / 1000) : null;
      const isPriority = priority === 1 ? 1 : 0;
      total.issued++;
      total.priority! += isPriority;
      total.arrivals[localHour(issuedAt)]!++;
      total.addOutcome(status, wait, service, scale, score, reason);
      const taken = out.at('issue_service', issueServiceId);
      taken.issued++;
      taken.priority! += isPriority;
      const ended = out.at('service', serviceId);
      ended.addOutcome(status, wait, service, scale, score, reason);
      if (serviceId !== issueServiceId) {
        taken.transferOut!++;
        ended.transferIn!++;
      }
      for (const [scope, key] of [
        ['counter', counterId],
        ['officer', officerId],
      ] as const) {
        if (key === null) continue;
        const s = out.at(scope, key);
        s.issued++;
        s.priority! += isPriority;
        s.addOutcome(status, wait, service, scale, score, reason);
      }
    }
    return out;
  }

  return function buildReport(q: ReportQuery): Report {
    const timeZone = repos.settings.center().timeZone;
    const today = businessDayOf(clock.now(), timeZone);
    const byDay = new Map<string, RollupRow[]>();
    for (const r of rollups.all(q.from, q.to)) {
      const list = byDay.get(r.business_day);
      if (list) list.push(r);
      else byDay.set(r.business_day, [r]);
    }
    const missing = daysWithTickets.all(q.from, q.to).filter(({ d }) => !byDay.has(d)).map(({ d }) => d);
    for (const day of missing) {
      const rows = [...sumDay(day, timeZone)].map(([k, s]) => {
        const [scope, key] = k.split(':') as [Scope, string];
        return s.rollup(day, scope, Number(key));
      });
      // A closed day never changes again (but see rating invalidation): keep its sums.
      if (day < today) {
        db.transaction(() => {
          dropDay.run(day);
          for (const r of rows) insertRollup.run(r);
        })();
      }
      byDay.set(day, rows);
    }

    const services = repos.services.list();
    const target = new Map(services.map((s) => [s.id, s.targetWaitMinutes ?? null]));
    const sums = new ScopeSums();
    const legacyDays: string[] = [];
    const trend: DayReportRow[] = [];
    for (const day of daysOf(q.from, q.to)) {
      const rows = byDay.get(day) ?? [];
      // The day's own figures for the trend, from the same reads as the range's sums.
      let total: RollupRow | null = null;
      let totalRatings: number[] | null = null;
      let waitSum = 0;
      let waitCount = 0;
      let called = 0;
      let within = 0;
      for (const r of rows) {
        const read = sums.at(r.scope, r.key).merge(r);
        if (r.scope === 'total') {
          total = r;
          totalRatings = read.ratings;
          waitCount = read.waits.length;
          for (let i = 0; i < read.waits.length; i++) waitSum += read.waits[i]!;
        } else if (r.scope === 'service') {
          const minutesTarget = target.get(r.key);
          if (!minutesTarget) continue;
          const c = countWithin([read.waits], minutesTarget);
          called += c.called;
          within += c.within;
        }
      }
      if (rows.some((r) => r.format < 2)) legacyDays.push(day);
      trend.push({
        day,
        issued: total?.issued ?? 0,
        served: total?.served ?? 0,
        noShow: total?.no_show ?? 0,
        cancelled: total?.cancelled ?? 0,
        priority: !total ? 0 : total.format >= 2 ? (total.priority ?? 0) : null,
        waitAvg: waitCount ? minutes(waitSum / waitCount) : null,
        withinTarget: withinFigures(called, within),
        satisfaction: satisfactionOf(levelCounts(totalRatings)),
      });
    }

    const row = (scope: Scope, key: number) => sums.get(`${scope}:${key}`);
    const totals = sums.at('total', 0);
    const withIssued = (scope: Scope, key: number) => (row(scope, key) ?? new Sums()).row();

    const byService: ServiceReportRow[] = services
      .filter((s) => row('service', s.id) || row('issue_service', s.id))
      .map((s) => {
        const ended = row('service', s.id) ?? new Sums();
        const taken = row('issue_service', s.id) ?? new Sums();
        const targetWaitMinutes = s.targetWaitMinutes ?? null;
        const c = targetWaitMinutes ? countWithin(ended.waitPieces(), targetWaitMinutes) : null;
        return {
          serviceId: s.id,
          code: s.code,
          name: { vi: s.nameVi, en: s.nameEn },
          ...ended.row(),
          issued: taken.issued,
          priority: taken.priority,
          targetWaitMinutes,
          withinTarget: c ? withinFigures(c.called, c.within) : null,
          transferredIn: ended.transferIn,
          transferredOut: taken.transferOut,
        };
      });
    const counted = byService.filter((s) => s.withinTarget !== null);
    const withinTarget = {
      ...withinFigures(
        counted.reduce((n, s) => n + s.withinTarget!.called, 0),
        counted.reduce((n, s) => n + s.withinTarget!.within, 0),
      ),
      excluded: byService.filter((s) => s.withinTarget === null).map((s) => ({ serviceId: s.serviceId, code: s.code, name: s.name })),
    };

    const levels = levelCounts(totals.ratings);
    const levelShares = percentShares(RATING_LEVELS.map((l) => levels[l]));
    const legacy4 = [levels.very_satisfied, levels.satisfied, levels.neutral, levels.dissatisfied + levels.very_dissatisfied];
    const legacyPct = percentShares(legacy4);
    const overall = satisfactionOf(levels);

    return {
      from: q.from,
      to: q.to,
      timeZone,
      totals: totals.row(),
      byService,
      byCounter: repos.counters
        .list()
        .filter((c) => row('counter', c.id))
        .map((c) => ({ counterId: c.id, number: c.number, name: c.name, ...withIssued('counter', c.id) })),
      byOfficer: repos.users
        .list()
        .filter((u) => row('officer', u.id))
        .map((u) => ({ officerId: u.id, username: u.username, ...withIssued('officer', u.id) })),
      byDay: trend,
      arrivalsByHour: totals.arrivals,
      withinTarget,
      balance: balanceOf(byService, legacyDays),
      satisfaction: {
        total: overall.answers,
        satisfied: overall.satisfied,
        dissatisfied: overall.dissatisfied,
        percentSatisfied: overall.percent,
        levels,
        levelPercent: Object.fromEntries(RATING_LEVELS.map((l, i) => [l, levelShares[i] ?? 0])) as Record<RatingLevel, number>,
        reasons: Object.fromEntries(RATING_REASONS.map((k, i) => [k, totals.ratings[REASON_AT + i] ?? 0])) as Record<RatingReason, number>,
        byScale: Object.fromEntries(SCALES.map((k) => [String(k), totals.ratings.slice(SCALE_AT[k], SCALE_AT[k] + k).reduce((a, b) => a + b, 0)])) as Record<'3' | '4' | '5', number>,
        counts: { '4': legacy4[0]!, '3': legacy4[1]!, '2': legacy4[2]!, '1': legacy4[3]! },
        percent: { '4': legacyPct[0]!, '3': legacyPct[1]!, '2': legacyPct[2]!, '1': legacyPct[3]! },
      },
      legacyDays,
    };
  };
}
export type BuildReport = ReturnType<typeof createReports>;

/**
 * Whether each service row balances: issued + transferred in - transferred out = served + no-show
 * + cancelled + open. By construction it does whenever the transfers are known; they are not for
 * days summed before issue 15 whose tickets are gone, and the note says so.
 */
function balanceOf(rows: ServiceReportRow[], legacyDays: string[]): Report['balance'] {
  if (legacyDays.length > 0) {
    return {
      balanced: false,
      note: {
        vi: `Các dòng theo lĩnh vực có thể không cân: ${legacyDays.length} ngày được tổng hợp bởi phiên bản cũ (phiếu chi tiết đã xóa theo thời hạn lưu giữ) không có số phiếu chuyển lĩnh vực.`,
        en: `Service rows may not balance: ${legacyDays.length} day(s) were summed by an older version (their tickets were deleted by retention) and carry no transfer counts.`,
      },
    };
  }
  const off = rows.filter((r) => r.issued + (r.transferredIn ?? 0) - (r.transferredOut ?? 0) !== r.served + r.noShow + r.cancelled + r.open);
  if (off.length === 0) return { balanced: true, note: null };
  return {
    balanced: false,
    note: {
      vi: `Không cân ở: ${off.map((r) => r.name.vi).join(', ')}.`,
      en: `Does not balance for: ${off.map((r) => r.name.en).join(', ')}.`,
    },
  };
}
