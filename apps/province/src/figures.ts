import type pg from 'pg';

/**
 * The province's figures, computed in PostgreSQL from the tickets and ratings the centers shipped,
 * with the SAME definitions as a center's own report (apps/server/src/reports/report.ts), so the
 * province's figures for a center equal that center's report for the same days, exactly:
 * - a ticket belongs to the business day it was issued on (the center's local date, shipped);
 * - per service, "issued" and "priority" count the tickets TAKEN for it (issue_service_id);
 *   outcomes, waits and ratings count where the ticket ENDED (service_id, after any transfer);
 * - served = done, no-show = no_show, cancelled = cancelled, open = waiting or called;
 * - wait = called_at - issued_at in whole seconds (floored, as the center does), counted for a
 *   ticket that was called and is not waiting or cancelled; shown in minutes with one decimal
 *   (Math.round(s / 6) / 10); avg = mean, median = mean of the two middle values for an even
 *   count (percentile_cont(0.5)), p90 = nearest rank, the ceil(0.9 n)-th smallest
 *   (percentile_disc(0.9), the same selection as packages/domain summarize());
 * - within target: of the tickets with a wait in a service with a target wait (its target as
 *   last shipped), the share whose wait <= target minutes; per service null without a target;
 * - satisfaction (Decision 766/QĐ-TTg): answers, satisfied (Rất hài lòng or Hài lòng), dissatisfied
 *   (Không hài lòng or below: score 1 on 3 or 4 levels, 1-2 on 5), "% hài lòng" = satisfied /
 *   answers, one decimal, whatever scale each answer was given on; ratings.average is the mean
 *   score of the 4-level answers only (the center's deprecated figure), two decimals.
 * All times are the center's own clock: a center whose clock is off is reported as it saw itself.
 */
export interface DurationStats {
  count: number;
  /** Minutes, one decimal; null when count is 0. */
  avg: number | null;
  median: number | null;
  p90: number | null;
}

export interface WithinTarget {
  called: number;
  within: number;
  /** within / called x 100, one decimal; null when nothing counts. */
  percent: number | null;
}

export interface Satisfaction {
  answers: number;
  satisfied: number;
  dissatisfied: number;
  /** "% hài lòng", one decimal; null without answers. */
  percent: number | null;
}

export interface FigureRow {
  issued: number;
  priority: number;
  served: number;
  noShow: number;
  cancelled: number;
  /** Still waiting or being served (today's, usually). */
  open: number;
  wait: DurationStats;
  /** Totals: over the services with a target. Per service: null when it has no target. */
  withinTarget: WithinTarget | null;
  satisfaction: Satisfaction;
  ratings: { count: number; average: number | null };
}

export interface ServiceFigures extends FigureRow {
  serviceId: number;
  code: string | null;
  name: { vi: string; en: string } | null;
  targetWaitMinutes: number | null;
}

export interface CenterFigures {
  centerId: number;
  code: string;
  name: string;
  totals: FigureRow;
  /** Services with tickets taken or ended there in the range, by service id. */
  byService: ServiceFigures[];
}

export interface FiguresQuery {
  /** Business days, inclusive, 'YYYY-MM-DD' (each center's own local dates). */
  from: string;
  to: string;
  /** Only these centers (default: every registered center, including revoked ones). */
  centerIds?: number[];
}

export interface CenterNow {
  centerId: number;
  code: string;
  name: string;
  revoked: boolean;
  /** Never heard from: everything below is null/0. */
  heard: boolean;
  centerUid: string | null;
  epoch: number | null;
  businessDay: string | null;
  timeZone: string | null;
  waiting: number | null;
  openCounters: number | null;
  /** The longest current wait as the center last reported it (seconds, at `reportedAt`). */
  longestWaitSeconds: number | null;
  /** The center's own clock when it described itself (ISO). */
  reportedAt: string | null;
  /** Province clock: the last batch received from it (ISO). */
  lastHeardAt: string | null;
  /** Seconds since lastHeardAt, by the province clock (never the center's). */
  lastHeardSecondsAgo: number | null;
  /** The center's last event seq, and the last the province holds (same epoch). */
  lastSeq: number | null;
  ackSeq: number | null;
  /** Events the center has that the province does not yet: lastSeq - ackSeq (as of lastHeardAt). */
  behindEvents: number | null;
}

const minutes = (seconds: number) => Math.round(seconds / 6) / 10;
// As the center rounds it: Math.round(part / whole * 1000) / 10.
const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);

interface RawRow {
  center_id: number;
  service_id: number | null;
  issued: string;
  priority: string;
  served: string;
  no_show: string;
  cancelled: string;
  open: string;
  wait_count: string;
  wait_sum: string | null;
  wait_median: number | null;
  wait_p90: number | null;
  within: string;
  called: string;
  answers: string;
  satisfied: string;
  dissatisfied: string;
  four_count: string;
  four_sum: string | null;
}

function figureRow(r: RawRow | undefined): FigureRow {
  const n = (v: string | null | undefined) => Number(v ?? 0);
  const waitCount = n(r?.wait_count);
  const answers = n(r?.answers);
  const fourCount = n(r?.four_count);
  return {
    issued: n(r?.issued),
    priority: n(r?.priority),
    served: n(r?.served),
    noShow: n(r?.no_show),
    cancelled: n(r?.cancelled),
    open: n(r?.open),
    wait: {
      count: waitCount,
      // The sum is exact (integer seconds), divided here as the center divides it.
      avg: waitCount ? minutes(n(r?.wait_sum) / waitCount) : null,
      median: r?.wait_median == null ? null : minutes(Number(r.wait_median)),
      p90: r?.wait_p90 == null ? null : minutes(Number(r.wait_p90)),
    },
    withinTarget: { called: n(r?.called), within: n(r?.within), percent: percent(n(r?.within), n(r?.called)) },
    satisfaction: { answers, satisfied: n(r?.satisfied), dissatisfied: n(r?.dissatisfied), percent: percent(n(r?.satisfied), answers) },
    ratings: { count: answers, average: fourCount ? Math.round((n(r?.four_sum) / fourCount) * 100) / 100 : null },
  };
}

/**
 * One pass over the range's tickets, grouped by (center, final service) with a grand total per
 * center (GROUPING SETS), plus "issued" by (center, service taken). Uses tickets_day /
 * tickets_center_day.
 */
const FIGURES_SQL = `
WITH t AS (
  SELECT t.center_id, t.service_id, t.issue_service_id, t.status, t.priority,
         CASE WHEN t.called_at IS NOT NULL AND t.status NOT IN ('waiting', 'cancelled')
              THEN floor(extract(epoch FROM t.called_at) - extract(epoch FROM t.issued_at))::bigint END AS wait,
         s.target_wait_minutes AS target,
         r.score, r.scale, r.satisfied
    FROM tickets t
    LEFT JOIN ratings r ON r.center_id = t.center_id AND r.ticket_id = t.ticket_id
    LEFT JOIN services s ON s.center_id = t.center_id AND s.service_id = t.service_id
   WHERE t.business_day BETWEEN $1::date AND $2::date
     AND ($3::int[] IS NULL OR t.center_id = ANY ($3::int[]))
),
outcomes AS (
  SELECT center_id, service_id,
         count(*) AS ended,
         count(*) FILTER (WHERE priority) AS priority,
         count(*) FILTER (WHERE status = 'done') AS served,
         count(*) FILTER (WHERE status = 'no_show') AS no_show,
         count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
         count(*) FILTER (WHERE status IN ('waiting', 'called')) AS open,
         count(wait) AS wait_count,
         sum(wait) AS wait_sum,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY wait) AS wait_median,
         percentile_disc(0.9) WITHIN GROUP (ORDER BY wait) AS wait_p90,
         count(*) FILTER (WHERE wait IS NOT NULL AND target IS NOT NULL AND wait <= target * 60) AS within,
         count(*) FILTER (WHERE wait IS NOT NULL AND target IS NOT NULL) AS called,
         count(score) AS answers,
         count(*) FILTER (WHERE satisfied) AS satisfied,
         count(*) FILTER (WHERE score <= CASE scale WHEN 5 THEN 2 ELSE 1 END) AS dissatisfied,
         count(*) FILTER (WHERE scale = 4) AS four_count,
         sum(score) FILTER (WHERE scale = 4) AS four_sum
    FROM t
   GROUP BY GROUPING SETS ((center_id, service_id), (center_id))
),
taken AS (
  SELECT center_id, issue_service_id AS service_id, count(*) AS issued, count(*) FILTER (WHERE priority) AS priority
    FROM t GROUP BY center_id, issue_service_id
)
SELECT coalesce(o.center_id, k.center_id) AS center_id,
       coalesce(o.service_id, k.service_id) AS service_id,
       CASE WHEN o.center_id IS NOT NULL AND o.service_id IS NULL THEN o.ended ELSE coalesce(k.issued, 0) END AS issued,
       CASE WHEN o.center_id IS NOT NULL AND o.service_id IS NULL THEN o.priority ELSE coalesce(k.priority, 0) END AS priority,
       coalesce(o.served, 0) AS served, coalesce(o.no_show, 0) AS no_show, coalesce(o.cancelled, 0) AS cancelled,
       coalesce(o.open, 0) AS open, coalesce(o.wait_count, 0) AS wait_count, o.wait_sum, o.wait_median, o.wait_p90,
       coalesce(o.within, 0) AS within, coalesce(o.called, 0) AS called,
       coalesce(o.answers, 0) AS answers, coalesce(o.satisfied, 0) AS satisfied, coalesce(o.dissatisfied, 0) AS dissatisfied,
       coalesce(o.four_count, 0) AS four_count, o.four_sum
  FROM outcomes o
  FULL JOIN taken k ON k.center_id = o.center_id AND k.service_id = o.service_id
`;

export function createFigures(pool: pg.Pool) {
  return {
    /**
     * Per center (every registered center, or `centerIds`; a center without tickets in the range
     * gets zeros) and per service, for a range of business days.
     */
    async report(q: FiguresQuery): Promise<CenterFigures[]> {
      const ids = q.centerIds ?? null;
      const [figures, centers, services] = await Promise.all([
        pool.query<RawRow>(FIGURES_SQL, [q.from, q.to, ids]),
        pool.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM centers WHERE ($1::int[] IS NULL OR id = ANY ($1::int[])) ORDER BY code', [ids]),
        pool.query<{ center_id: number; service_id: number; code: string; name_vi: string; name_en: string; target_wait_minutes: number | null }>(
          'SELECT center_id, service_id, code, name_vi, name_en, target_wait_minutes FROM services WHERE ($1::int[] IS NULL OR center_id = ANY ($1::int[]))',
          [ids],
        ),
      ]);
      const svc = new Map(services.rows.map((s) => [`${s.center_id}:${s.service_id}`, s]));
      const totals = new Map<number, RawRow>();
      const byService = new Map<number, RawRow[]>();
      for (const r of figures.rows) {
        if (r.service_id === null) totals.set(r.center_id, r);
        else byService.set(r.center_id, [...(byService.get(r.center_id) ?? []), r]);
      }
      return centers.rows.map((c) => ({
        centerId: c.id,
        code: c.code,
        name: c.name,
        totals: figureRow(totals.get(c.id)),
        byService: (byService.get(c.id) ?? [])
          .sort((a, b) => (a.service_id as number) - (b.service_id as number))
          .map((r) => {
            const s = svc.get(`${c.id}:${r.service_id}`);
            const row = figureRow(r);
            return {
              serviceId: r.service_id as number,
              code: s?.code ?? null,
              name: s ? { vi: s.name_vi, en: s.name_en } : null,
              targetWaitMinutes: s?.target_wait_minutes ?? null,
              ...row,
              withinTarget: s?.target_wait_minutes == null ? null : row.withinTarget,
            };
          }),
      }));
    },

    /** Each registered center now, as it last described itself, and how far behind its data is. */
    async centersNow(): Promise<CenterNow[]> {
      const { rows } = await pool.query<{
        id: number;
        code: string;
        name: string;
        revoked: boolean;
        center_uid: string | null;
        epoch: number | null;
        business_day: string | null;
        time_zone: string | null;
        waiting: number | null;
        open_counters: number | null;
        longest_wait_seconds: number | null;
        at: Date | null;
        last_heard: Date | null;
        ago: string | null;
        last_seq: string | null;
        ack_seq: string | null;
      }>(
        `SELECT c.id, c.code, c.name, c.revoked, c.center_uid, n.epoch, to_char(n.business_day, 'YYYY-MM-DD') AS business_day, n.time_zone,
                n.waiting, n.open_counters, n.longest_wait_seconds, n.at,
                greatest(n.received_at, s.updated_at) AS last_heard,
                floor(extract(epoch FROM now() - greatest(n.received_at, s.updated_at))) AS ago,
                n.last_seq, s.ack_seq
           FROM centers c
           LEFT JOIN center_now n ON n.center_id = c.id
           LEFT JOIN center_streams s ON s.center_id = c.id AND s.epoch = n.epoch
          ORDER BY c.code`,
      );
      return rows.map((r) => {
        const lastSeq = r.last_seq === null ? null : Number(r.last_seq);
        const ackSeq = r.ack_seq === null ? null : Number(r.ack_seq);
        return {
          centerId: r.id,
          code: r.code,
          name: r.name,
          revoked: r.revoked,
          heard: r.at !== null,
          centerUid: r.center_uid,
          epoch: r.epoch,
          businessDay: r.business_day,
          timeZone: r.time_zone,
          waiting: r.waiting,
          openCounters: r.open_counters,
          longestWaitSeconds: r.longest_wait_seconds,
          reportedAt: r.at?.toISOString() ?? null,
          lastHeardAt: r.last_heard?.toISOString() ?? null,
          lastHeardSecondsAgo: r.ago === null ? null : Math.max(0, Number(r.ago)),
          lastSeq,
          ackSeq,
          behindEvents: lastSeq === null ? null : Math.max(0, lastSeq - (ackSeq ?? 0)),
        };
      });
    },
  };
}
export type Figures = ReturnType<typeof createFigures>;
