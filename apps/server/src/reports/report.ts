import { localTime, percentShares, summarize } from '@luot/domain';
import type { DurationStats, Report, ReportQuery, ReportRow } from '@luot/protocol';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';

/**
 * Reports for a range of business days. One indexed scan of the range (index tickets_report
 * covers every column read) feeds every grouping in a single pass, so a year of a busy center
 * (200,000 tickets) reports in a few hundred milliseconds (docs/benchmarks.md).
 *
 * Conventions, written here because a director will compare them with paper records:
 * - a ticket belongs to the business day it was issued on, even if served after midnight;
 * - "issued" counts where the ticket was taken; its outcome, wait and service time count where
 *   it ended (a transferred ticket is served, and counted, in its new service);
 * - wait = issued -> (last) called; service time = called -> done; no-shows have a wait but no
 *   service time; minutes with one decimal; median and 90th percentile by nearest rank.
 */
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

class Acc {
  issued = 0;
  served = 0;
  noShow = 0;
  cancelled = 0;
  open = 0;
  waits: number[] = [];
  services: number[] = [];
  ratingSum = 0;
  ratingCount = 0;
}

const minutes = (ms: number) => Math.round(ms / 6000) / 10;
function stats(values: number[]): DurationStats {
  const s = summarize(values);
  return {
    count: s.count,
    avg: s.avg === null ? null : minutes(s.avg),
    median: s.median === null ? null : minutes(s.median),
    p90: s.p90 === null ? null : minutes(s.p90),
  };
}
function row(a: Acc): ReportRow {
  return {
    issued: a.issued,
    served: a.served,
    noShow: a.noShow,
    cancelled: a.cancelled,
    open: a.open,
    wait: stats(a.waits),
    service: stats(a.services),
    ratings: { count: a.ratingCount, average: a.ratingCount ? Math.round((a.ratingSum / a.ratingCount) * 100) / 100 : null },
  };
}

export function createReports(db: Db, repos: Repos) {
  const scan = db
    .prepare<[string, string]>(
      `SELECT t.service_id, t.issue_service_id, t.counter_id, t.officer_id, t.status, t.issued_at, t.called_at, t.completed_at, r.score
       FROM tickets t LEFT JOIN ratings r ON r.ticket_id = t.id
       WHERE t.business_day BETWEEN ? AND ?`,
    )
    .raw(true);

  return function buildReport(q: ReportQuery): Report {
    const timeZone = repos.settings.center().timeZone;
    const totals = new Acc();
    const byService = new Map<number, Acc>();
    const byCounter = new Map<number, Acc>();
    const byOfficer = new Map<number, Acc>();
    const arrivals = new Array<number>(24).fill(0);
    const satisfaction = { 4: 0, 3: 0, 2: 0, 1: 0 } as Record<number, number>;
    const get = (m: Map<number, Acc>, k: number) => {
      let a = m.get(k);
      if (!a) m.set(k, (a = new Acc()));
      return a;
    };
    // Local hour by the offset at each whole UTC hour: cheap and exact across DST changes.
    const hourOffset = new Map<number, number>();
    const localHour = (ms: number) => {
      const h = Math.floor(ms / 3_600_000);
      let off = hourOffset.get(h);
      if (off === undefined) hourOffset.set(h, (off = localTime(ms, timeZone).offsetMinutes));
      return new Date(ms + off * 60_000).getUTCHours();
    };

    for (const r of scan.all(q.from, q.to) as Raw[]) {
      const [serviceId, issueServiceId, counterId, officerId, status, issuedAt, calledAt, completedAt, score] = r;
      const outcome: Acc[] = [totals, get(byService, serviceId)];
      if (counterId !== null) outcome.push(get(byCounter, counterId));
      if (officerId !== null) outcome.push(get(byOfficer, officerId));
      totals.issued++;
      get(byService, issueServiceId).issued++;
      if (counterId !== null) get(byCounter, counterId).issued++;
      if (officerId !== null) get(byOfficer, officerId).issued++;
      arrivals[localHour(issuedAt)]!++;
      const wait = calledAt !== null && (status === 'done' || status === 'no_show' || status === 'called') ? calledAt - issuedAt : null;
      const service = status === 'done' && calledAt !== null && completedAt !== null ? completedAt - calledAt : null;
      for (const a of outcome) {
        if (status === 'done') a.served++;
        else if (status === 'no_show') a.noShow++;
        else if (status === 'cancelled') a.cancelled++;
        else a.open++;
        if (wait !== null) a.waits.push(wait);
        if (service !== null) a.services.push(service);
        if (score !== null) {
          a.ratingSum += score;
          a.ratingCount++;
        }
      }
      if (score !== null) satisfaction[score] = (satisfaction[score] ?? 0) + 1;
    }

    const services = repos.services.list();
    const counters = repos.counters.list();
    const users = repos.users.list();
    const sat = [satisfaction[4] ?? 0, satisfaction[3] ?? 0, satisfaction[2] ?? 0, satisfaction[1] ?? 0];
    const pct = percentShares(sat);
    return {
      from: q.from,
      to: q.to,
      timeZone,
      totals: row(totals),
      byService: services
        .filter((s) => byService.has(s.id))
        .map((s) => ({ serviceId: s.id, code: s.code, name: { vi: s.nameVi, en: s.nameEn }, ...row(byService.get(s.id)!) })),
      byCounter: counters.filter((c) => byCounter.has(c.id)).map((c) => ({ counterId: c.id, number: c.number, name: c.name, ...row(byCounter.get(c.id)!) })),
      byOfficer: users.filter((u) => byOfficer.has(u.id)).map((u) => ({ officerId: u.id, username: u.username, ...row(byOfficer.get(u.id)!) })),
      arrivalsByHour: arrivals,
      satisfaction: {
        total: sat.reduce((a, b) => a + b, 0),
        counts: { '4': sat[0]!, '3': sat[1]!, '2': sat[2]!, '1': sat[3]! },
        percent: { '4': pct[0]!, '3': pct[1]!, '2': pct[2]!, '1': pct[3]! },
      },
    };
  };
}
export type BuildReport = ReturnType<typeof createReports>;
