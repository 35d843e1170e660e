import { businessDayOf, localTime, percentShares, summarize } from '@luot/domain';
import type { DurationStats, Report, ReportQuery, ReportRow } from '@luot/protocol';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';

/**
 * Reports for a range of business days.
 *
 * Speed: a closed day (before today) is summed once into `report_daily` (per scope: the center,
 * each service, counter and officer) and read back from there; only today is summed live from
 * the tickets. A year of a busy center is then ~3,000 small rows, not 200,000 tickets
 * (docs/benchmarks.md). A rating that arrives after midnight for the day before drops that
 * day's rows, and they are summed again on the next report.
 *
 * Conventions, written here because a director will compare them with paper records:
 * - a ticket belongs to the business day it was issued on, even if served after midnight;
 * - "issued" (the "Tickets" column) counts, for a service, the tickets taken for it, and for a
 *   counter or an officer, the tickets that ended there; outcome, wait and service time count
 *   where the ticket ended (a transferred ticket is served, and counted, in its new service, and
 *   not at the counter or officer that passed it on);
 * - wait = issued -> (last) called; service time = called -> done; no-shows have a wait but no
 *   service time; durations in whole seconds, shown in minutes with one decimal; median and
 *   90th percentile by nearest rank.
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
  score: number | null,
];

/** Sums for one scope over one or more days. */
class Sums {
  issued = 0;
  served = 0;
  noShow = 0;
  cancelled = 0;
  open = 0;
  ratings = [0, 0, 0, 0]; // counts of scores 1..4
  waits: number[] = [];
  services: number[] = [];
  waitChunks: Int32Array[] = [];
  serviceChunks: Int32Array[] = [];
  arrivals = new Array<number>(24).fill(0);

  addOutcome(status: string, wait: number | null, service: number | null, score: number | null) {
    if (status === 'done') this.served++;
    else if (status === 'no_show') this.noShow++;
    else if (status === 'cancelled') this.cancelled++;
    else this.open++;
    if (wait !== null) this.waits.push(wait);
    if (service !== null) this.services.push(service);
    if (score !== null) this.ratings[score - 1]!++;
  }

  merge(r: RollupRow) {
    this.issued += r.issued;
    this.served += r.served;
    this.noShow += r.no_show;
    this.cancelled += r.cancelled;
    this.open += r.open;
    (JSON.parse(r.ratings) as number[]).forEach((n, i) => (this.ratings[i]! += n));
    this.waitChunks.push(int32(r.waits));
    this.serviceChunks.push(int32(r.services));
    int32(r.arrivals).forEach((n, h) => (this.arrivals[h]! += n));
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

  row(): ReportRow {
    const count = this.ratings.reduce((a, b) => a + b, 0);
    const sum = this.ratings.reduce((a, n, i) => a + n * (i + 1), 0);
    return {
      issued: this.issued,
      served: this.served,
      noShow: this.noShow,
      cancelled: this.cancelled,
      open: this.open,
      wait: stats(this.all(this.waits, this.waitChunks)),
      service: stats(this.all(this.services, this.serviceChunks)),
      ratings: { count, average: count ? Math.round((sum / count) * 100) / 100 : null },
    };
  }

  rollup(day: string, scope: Scope, key: number) {
    return {
      business_day: day,
      scope,
      key,
      issued: this.issued,
      served: this.served,
      no_show: this.noShow,
      cancelled: this.cancelled,
      open: this.open,
      ratings: JSON.stringify(this.ratings),
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
  issued: number;
  served: number;
  no_show: number;
  cancelled: number;
  open: number;
  ratings: string;
  waits: Buffer;
  services: Buffer;
  arrivals: Buffer;
}

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

export function createReports(db: Db, repos: Repos, clock: Clock) {
  const dayTickets = db
    .prepare<[string]>(
      `SELECT t.service_id, t.issue_service_id, t.counter_id, t.officer_id, t.status, t.issued_at, t.called_at, t.completed_at, r.score
       FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.id WHERE t.business_day = ?`,
    )
    .raw(true);
  // The days of a range that have tickets (an index-only scan: ~13 ms for a year of 200,000).
  const daysWithTickets = db.prepare<[string, string], { d: string }>('SELECT business_day AS d FROM tickets WHERE business_day BETWEEN ? AND ? GROUP BY business_day');
  const rollups = db.prepare<[string, string], RollupRow>('SELECT * FROM report_daily WHERE business_day BETWEEN ? AND ?');
  const insertRollup = db.prepare(
    `INSERT OR REPLACE INTO report_daily (business_day, scope, key, issued, served, no_show, cancelled, open, ratings, waits, services, arrivals)
     VALUES (@business_day, @scope, @key, @issued, @served, @no_show, @cancelled, @open, @ratings, @waits, @services, @arrivals)`,
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
      const [serviceId, issueServiceId, counterId, officerId, status, issuedAt, calledAt, completedAt, score] = r;
      const wait = calledAt !== null && status !== 'waiting' && status !== 'cancelled' ? Math.floor((calledAt - issuedAt) / 1000) : null;
      const service = status === 'done' && calledAt !== null && completedAt !== null ? Math.floor((completedAt - calledAt) / 1000) : null;
      total.issued++;
      total.arrivals[localHour(issuedAt)]!++;
      total.addOutcome(status, wait, service, score);
      out.at('issue_service', issueServiceId).issued++;
      out.at('service', serviceId).addOutcome(status, wait, service, score);
      if (counterId !== null) {
        const c = out.at('counter', counterId);
        c.issued++;
        c.addOutcome(status, wait, service, score);
      }
      if (officerId !== null) {
        const o = out.at('officer', officerId);
        o.issued++;
        o.addOutcome(status, wait, service, score);
      }
    }
    return out;
  }

  return function buildReport(q: ReportQuery): Report {
    const timeZone = repos.settings.center().timeZone;
    const today = businessDayOf(clock.now(), timeZone);
    const sums = new ScopeSums();
    const stored = new Set<string>();
    for (const r of rollups.all(q.from, q.to)) {
      stored.add(r.business_day);
      sums.at(r.scope, r.key).merge(r);
    }
    const missing = daysWithTickets.all(q.from, q.to).filter(({ d }) => !stored.has(d)).map(({ d }) => d);
    for (const day of missing) {
      const daySums = sumDay(day, timeZone);
      // A closed day never changes again (but see rating invalidation): keep its sums.
      if (day < today) {
        db.transaction(() => {
          for (const [k, s] of daySums) {
            const [scope, key] = k.split(':') as [Scope, string];
            insertRollup.run(s.rollup(day, scope, Number(key)));
          }
        })();
      }
      for (const [k, s] of daySums) {
        const [scope, key] = k.split(':') as [Scope, string];
        sums.at(scope, Number(key)).merge(s.rollup(day, scope, Number(key)) as unknown as RollupRow);
      }
    }

    const row = (scope: Scope, key: number) => sums.get(`${scope}:${key}`);
    const totals = sums.at('total', 0);
    const withIssued = (scope: Scope, key: number) => {
      const r = (row(scope, key) ?? new Sums()).row();
      r.issued = scope === 'service' ? (row('issue_service', key)?.issued ?? 0) : r.issued;
      return r;
    };
    const sat = [totals.ratings[3]!, totals.ratings[2]!, totals.ratings[1]!, totals.ratings[0]!];
    const pct = percentShares(sat);
    return {
      from: q.from,
      to: q.to,
      timeZone,
      totals: totals.row(),
      byService: repos.services
        .list()
        .filter((s) => row('service', s.id) || row('issue_service', s.id))
        .map((s) => ({ serviceId: s.id, code: s.code, name: { vi: s.nameVi, en: s.nameEn }, ...withIssued('service', s.id) })),
      byCounter: repos.counters
        .list()
        .filter((c) => row('counter', c.id))
        .map((c) => ({ counterId: c.id, number: c.number, name: c.name, ...withIssued('counter', c.id) })),
      byOfficer: repos.users
        .list()
        .filter((u) => row('officer', u.id))
        .map((u) => ({ officerId: u.id, username: u.username, ...withIssued('officer', u.id) })),
      arrivalsByHour: totals.arrivals,
      satisfaction: {
        total: sat.reduce((a, b) => a + b, 0),
        counts: { '4': sat[0]!, '3': sat[1]!, '2': sat[2]!, '1': sat[3]! },
        percent: { '4': pct[0]!, '3': pct[1]!, '2': pct[2]!, '1': pct[3]! },
      },
    };
  };
}
export type BuildReport = ReturnType<typeof createReports>;
