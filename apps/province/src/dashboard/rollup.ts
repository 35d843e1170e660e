import type pg from 'pg';
import type { CenterFigures, FigureRow, FiguresQuery, ServiceFigures } from '../figures.js';

/**
 * The province's figures read from the daily rollup (migration 0002-figures-daily.sql): the same
 * numbers as src/figures.ts (same definitions, same rounding; test/dashboard-rollup.test.ts
 * compares the two on the same data), at a cost that grows with center-days, not tickets:
 * 65 centers x 90 days (~3 million tickets) is ~30,000 rollup rows (docs/benchmarks.md).
 *
 * Exact at every moment: a report reads, in ONE snapshot, the stored rows of the clean
 * center-days and computes the dirty ones (touched by an ingest since their last compaction)
 * live from the tickets. The compactor stores the dirty ones in the background.
 *
 * Wait statistics need every wait, not sums: each row keeps its waits as sorted int4 seconds
 * (4 bytes a ticket), merged here; median and p90 as the center computes them (mean of the two
 * middle values; nearest rank), and the share within target counted against the target the
 * center last shipped.
 */

/** One center-day-service as PostgreSQL returns it: a stored rollup row, or the same computed live. */
interface PartRow {
  center_id: number;
  day: string;
  service_id: number;
  issued: number;
  priority: number;
  ended: number;
  served: number;
  no_show: number;
  cancelled: number;
  open: number;
  waits: Buffer;
  wait_sum: string;
  answers: number;
  satisfied: number;
  dissatisfied: number;
  four_count: number;
  four_sum: number;
}
/** The same with its waits decoded: sorted seconds. */
type Part = Omit<PartRow, 'waits'> & { waits: Int32Array };

/** int4send values (big-endian) to an Int32Array. */
function decodeWaits(b: Buffer): Int32Array {
  const out = new Int32Array(b.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = b.readInt32BE(i << 2);
  return out;
}
const decoded = (r: PartRow): Part => ({ ...r, waits: decodeWaits(r.waits) });

/** The parts of the center-days given as ($1 center ids, $2 days), computed from the tickets. */
const PARTS_OF_DAYS_SQL = `
WITH days AS (SELECT * FROM unnest($1::int[], $2::date[]) AS d (center_id, business_day)),
t AS (
  SELECT t.center_id, t.business_day, t.service_id, t.issue_service_id, t.status, t.priority,
         CASE WHEN t.called_at IS NOT NULL AND t.status NOT IN ('waiting', 'cancelled')
              THEN floor(extract(epoch FROM t.called_at) - extract(epoch FROM t.issued_at))::int END AS wait,
         r.score, r.scale, r.satisfied
    FROM days d
    JOIN tickets t ON t.center_id = d.center_id AND t.business_day = d.business_day
    LEFT JOIN ratings r ON r.center_id = t.center_id AND r.ticket_id = t.ticket_id
),
o AS (
  SELECT center_id, business_day, service_id,
         count(*)::int AS ended,
         count(*) FILTER (WHERE status = 'done')::int AS served,
         count(*) FILTER (WHERE status = 'no_show')::int AS no_show,
         count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
         count(*) FILTER (WHERE status IN ('waiting', 'called'))::int AS open,
         coalesce(string_agg(int4send(wait), ''::bytea ORDER BY wait) FILTER (WHERE wait IS NOT NULL), ''::bytea) AS waits,
         coalesce(sum(wait), 0)::bigint AS wait_sum,
         count(score)::int AS answers,
         count(*) FILTER (WHERE satisfied)::int AS satisfied,
         count(*) FILTER (WHERE score <= CASE scale WHEN 5 THEN 2 ELSE 1 END)::int AS dissatisfied,
         count(*) FILTER (WHERE scale = 4)::int AS four_count,
         coalesce(sum(score) FILTER (WHERE scale = 4), 0)::int AS four_sum
    FROM t GROUP BY center_id, business_day, service_id
),
k AS (
  SELECT center_id, business_day, issue_service_id AS service_id, count(*)::int AS issued, count(*) FILTER (WHERE priority)::int AS priority
    FROM t GROUP BY 1, 2, 3
)
SELECT center_id, business_day, service_id, coalesce(k.issued, 0) AS issued, coalesce(k.priority, 0) AS priority, coalesce(o.ended, 0) AS ended,
       coalesce(o.served, 0) AS served, coalesce(o.no_show, 0) AS no_show, coalesce(o.cancelled, 0) AS cancelled,
       coalesce(o.open, 0) AS open, coalesce(o.waits, ''::bytea) AS waits, coalesce(o.wait_sum, 0) AS wait_sum,
       coalesce(o.answers, 0) AS answers, coalesce(o.satisfied, 0) AS satisfied, coalesce(o.dissatisfied, 0) AS dissatisfied,
       coalesce(o.four_count, 0) AS four_count, coalesce(o.four_sum, 0) AS four_sum
  FROM o FULL JOIN k USING (center_id, business_day, service_id)`;

const COUNT_COLUMNS = 'issued, priority, ended, served, no_show, cancelled, open, wait_sum, answers, satisfied, dissatisfied, four_count, four_sum';
const PART_COLUMNS = `${COUNT_COLUMNS}, waits`;

const minutes = (seconds: number) => Math.round(seconds / 6) / 10;
// As the center rounds it (and src/figures.ts): Math.round(part / whole * 1000) / 10.
const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);

/** How many of the sorted values in `a` are <= limit (binary search). */
function countAtMost(a: Int32Array, limit: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The k-th smallest (0-based) values, for each k of `ks` (ascending), of several sorted arrays
 * holding `n` values in all. Waits are whole seconds in a narrow range: one pass counting each
 * second (a histogram), then one walk up it; linear, no copy, no sort. A range much wider than
 * the values (a clock jump made one wait huge) falls back to bisection.
 */
function orderStatistics(arrays: readonly Int32Array[], n: number, ks: number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    if (!a.length) continue;
    lo = Math.min(lo, a[0] as number);
    hi = Math.max(hi, a[a.length - 1] as number);
  }
  const width = hi - lo + 1;
  if (width > 4 * n + 100_000) return ks.map((k) => kth(arrays, k));
  const counts = new Uint32Array(width);
  for (const a of arrays) for (let i = 0; i < a.length; i++) counts[(a[i] as number) - lo]!++;
  const out: number[] = [];
  let seen = 0;
  let j = 0;
  for (let v = 0; v < width && j < ks.length; v++) {
    seen += counts[v] as number;
    while (j < ks.length && seen > (ks[j] as number)) {
      out.push(v + lo);
      j++;
    }
  }
  return out;
}

/**
 * The k-th smallest (0-based) wait of several sorted arrays, without merging them: the smallest
 * whole second x with at least k + 1 values <= x, by bisection on x (waits are whole seconds),
 * each step counting with a binary search per array. A 90-day province report has ~30,000 arrays
 * and 3 million values: this reads a few hundred thousand of them instead of copying them all.
 */
function kth(arrays: readonly Int32Array[], k: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    if (!a.length) continue;
    lo = Math.min(lo, a[0] as number);
    hi = Math.max(hi, a[a.length - 1] as number);
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    let count = 0;
    for (const a of arrays) count += countAtMost(a, mid);
    if (count >= k + 1) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Sums of any set of parts (a center, a service, a day), turned into a FigureRow. */
export class FigureSums {
  issued = 0;
  priority = 0;
  served = 0;
  noShow = 0;
  cancelled = 0;
  open = 0;
  waitSum = 0;
  within = 0;
  called = 0;
  answers = 0;
  satisfied = 0;
  dissatisfied = 0;
  fourCount = 0;
  fourSum = 0;
  private waits: Int32Array[] = [];
  private waitCount = 0;

  add(p: Part, targetWaitMinutes: number | null): void {
    this.issued += p.issued;
    this.priority += p.priority;
    this.served += p.served;
    this.noShow += p.no_show;
    this.cancelled += p.cancelled;
    this.open += p.open;
    this.waitSum += Number(p.wait_sum);
    this.answers += p.answers;
    this.satisfied += p.satisfied;
    this.dissatisfied += p.dissatisfied;
    this.fourCount += p.four_count;
    this.fourSum += p.four_sum;
    const n = p.waits.length;
    if (n) {
      this.waits.push(p.waits);
      this.waitCount += n;
      if (targetWaitMinutes !== null) {
        this.called += n;
        this.within += countAtMost(p.waits, targetWaitMinutes * 60);
      }
    }
  }

  row(): FigureRow {
    const n = this.waitCount;
    let median: number | null = null;
    let p90: number | null = null;
    if (n) {
      // As the center's summarize(): the middle value, or the mean of the two middle ones; p90 by
      // nearest rank.
      const mid = n >> 1;
      const at = orderStatistics(this.waits, n, n % 2 ? [mid, Math.ceil(0.9 * n) - 1] : [mid - 1, mid, Math.ceil(0.9 * n) - 1]);
      median = n % 2 ? at[0]! : (at[0]! + at[1]!) / 2;
      p90 = at[at.length - 1]!;
    }
    return {
      issued: this.issued,
      priority: this.priority,
      served: this.served,
      noShow: this.noShow,
      cancelled: this.cancelled,
      open: this.open,
      wait: {
        count: n,
        avg: n ? minutes(this.waitSum / n) : null,
        median: median === null ? null : minutes(median),
        p90: p90 === null ? null : minutes(p90),
      },
      withinTarget: { called: this.called, within: this.within, percent: percent(this.within, this.called) },
      satisfaction: { answers: this.answers, satisfied: this.satisfied, dissatisfied: this.dissatisfied, percent: percent(this.satisfied, this.answers) },
      ratings: { count: this.answers, average: this.fourCount ? Math.round((this.fourSum / this.fourCount) * 100) / 100 : null },
    };
  }
}

interface ServiceRow {
  center_id: number;
  service_id: number;
  code: string;
  name_vi: string;
  name_en: string;
  target_wait_minutes: number | null;
}

/** One center's figures per business day (the drill-down's trend). */
export interface DayFigures extends FigureRow {
  day: string;
}

export interface RollupOptions {
  /** How often the background compactor looks for dirty center-days (ms). */
  intervalMs?: number;
  /** Center-days stored per transaction: a chunk holds ingest of those days back only briefly. */
  chunk?: number;
  onError?: (err: unknown) => void;
  /** Decoded wait values kept in memory between reports (about 4 bytes each; default 64 million). */
  cacheValues?: number;
  /** Days read once at start to fill that cache (default 90; 0: none). */
  warmDays?: number;
}

export function createRollup(pool: pg.Pool, opts: RollupOptions = {}) {
  const chunk = opts.chunk ?? 200;

  /**
   * A second connection if the pool has one at once: never wait for it while holding one (a
   * burst of reports could otherwise each hold one and wait for another forever).
   */
  async function spareConnection(): Promise<pg.PoolClient | null> {
    const pending = pool.connect();
    let timer: NodeJS.Timeout | undefined;
    const got = await Promise.race([pending, new Promise<null>((r) => (timer = setTimeout(() => r(null), 25)))]).catch(() => null);
    clearTimeout(timer);
    if (!got) pending.then((c) => c.release()).catch(() => undefined);
    return got;
  }

  // The stored rows of each center-day this process has read, decoded, under the center-day's
  // version (its rows' highest: compaction rewrites all rows of a center-day with new versions).
  // A later report reads only (center, day, version) for the range and the rows of the
  // center-days it has not seen in that version: a repeated 90-day report moves kilobytes.
  const cache = new Map<string, { version: string; parts: Part[]; values: number }>();
  let cachedValues = 0;
  const maxCachedValues = opts.cacheValues ?? 64_000_000; // 256 MB of waits: years of a province
  const dayKey = (r: { center_id: number; day: string }) => `${r.center_id}:${r.day}`;
  function remember(key: string, version: string, parts: Part[]) {
    const old = cache.get(key);
    if (old) cachedValues -= old.values;
    cache.delete(key);
    const values = parts.reduce((a, p) => a + p.waits.length + 16, 0);
    cache.set(key, { version, parts, values });
    cachedValues += values;
    // The oldest first (a Map keeps insertion order).
    for (const [k, v] of cache) {
      if (cachedValues <= maxCachedValues) break;
      cache.delete(k);
      cachedValues -= v.values;
    }
  }

  /**
   * The parts of a range, in one snapshot: stored ones for clean center-days (from the cache when
   * the center-day's version is known), live for dirty. When some are dirty, the live computation
   * runs on a second connection that imports the first one's snapshot (pg_export_snapshot), so
   * the two run at once on two cores and still see the same database state; where a snapshot
   * cannot be exported, one after the other.
   */
  async function partsOf(from: string, to: string, centerIds: number[] | null): Promise<Part[]> {
    const client = await pool.connect();
    let second: pg.PoolClient | null = null;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const dirty = await client.query<{ center_id: number; day: string }>(
        `SELECT center_id, to_char(business_day, 'YYYY-MM-DD') AS day FROM figures_dirty
          WHERE business_day BETWEEN $1::date AND $2::date AND ($3::int[] IS NULL OR center_id = ANY ($3::int[]))`,
        [from, to, centerIds],
      );
      type DayVersion = { center_id: number; day: string; version: string };
      const storedDays = () =>
        client.query<DayVersion>(
          `SELECT center_id, to_char(business_day, 'YYYY-MM-DD') AS day, max(version)::text AS version
             FROM figures_daily f
            WHERE business_day BETWEEN $1::date AND $2::date AND ($3::int[] IS NULL OR center_id = ANY ($3::int[]))
              AND NOT EXISTS (SELECT 1 FROM figures_dirty d WHERE d.center_id = f.center_id AND d.business_day = f.business_day)
            GROUP BY center_id, business_day`,
          [from, to, centerIds],
        );
      let days: DayVersion[];
      let live: PartRow[] = [];
      if (!dirty.rows.length) days = (await storedDays()).rows;
      else {
        const liveParams = [dirty.rows.map((d) => d.center_id), dirty.rows.map((d) => d.day)];
        const liveSql = `SELECT center_id, to_char(business_day, 'YYYY-MM-DD') AS day, service_id, ${PART_COLUMNS} FROM (${PARTS_OF_DAYS_SQL}) p`;
        try {
          const snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
          second = await spareConnection();
          if (!second) throw new Error('no spare connection');
          await second.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          await second.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
        } catch {
          // No exported snapshot here (e.g. an older standby): the same reads, in sequence.
          if (second) {
            await second.query('ROLLBACK').catch(() => undefined);
            second.release();
            second = null;
          }
        }
        if (second) {
          const [a, b] = await Promise.all([storedDays(), second.query<PartRow>(liveSql, liveParams)]);
          days = a.rows;
          live = b.rows;
        } else {
          days = (await storedDays()).rows;
          live = (await client.query<PartRow>(liveSql, liveParams)).rows;
        }
      }
      // The rows of the center-days this process has not read in this version (same snapshot).
      const missing = days.filter((d) => cache.get(dayKey(d))?.version !== d.version);
      const fetched = new Map<string, Part[]>(missing.map((d) => [dayKey(d), []]));
      if (missing.length) {
        const r = await client.query<PartRow>(
          `SELECT center_id, to_char(business_day, 'YYYY-MM-DD') AS day, service_id, ${PART_COLUMNS} FROM figures_daily
            WHERE (center_id, business_day) IN (SELECT * FROM unnest($1::int[], $2::date[]))`,
          [missing.map((d) => d.center_id), missing.map((d) => d.day)],
        );
        for (const row of r.rows) fetched.get(dayKey(row))?.push(decoded(row));
      }
      await client.query('COMMIT');
      if (second) await second.query('COMMIT');
      // Every center-day's parts first, then the new ones remembered (which may evict others).
      const parts: Part[] = days.flatMap((d) => fetched.get(dayKey(d)) ?? cache.get(dayKey(d))!.parts);
      for (const d of missing) remember(dayKey(d), d.version, fetched.get(dayKey(d))!);
      return parts.concat(live.map(decoded));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (second) await second.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
      second?.release();
    }
  }

  async function servicesOf(centerIds: number[] | null): Promise<Map<string, ServiceRow>> {
    const { rows } = await pool.query<ServiceRow>(
      'SELECT center_id, service_id, code, name_vi, name_en, target_wait_minutes FROM services WHERE ($1::int[] IS NULL OR center_id = ANY ($1::int[]))',
      [centerIds],
    );
    return new Map(rows.map((s) => [`${s.center_id}:${s.service_id}`, s]));
  }

  /**
   * Claims up to `chunk` dirty center-days (skipping those an ingest holds right now: they stay
   * dirty) and stores their rows, in one transaction. The rows are computed by a statement that
   * starts after the claim, so they include every change committed before it; a change committed
   * later marks its day dirty again (its trigger waits for this transaction to end).
   * Returns how many center-days it stored.
   */
  async function compactChunk(): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const claimed = await client.query<{ center_id: number; day: string }>(
        `DELETE FROM figures_dirty WHERE (center_id, business_day) IN (
           SELECT center_id, business_day FROM figures_dirty ORDER BY business_day, center_id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING center_id, to_char(business_day, 'YYYY-MM-DD') AS day`,
        [chunk],
      );
      if (claimed.rows.length) {
        const ids = claimed.rows.map((r) => r.center_id);
        const days = claimed.rows.map((r) => r.day);
        await client.query('DELETE FROM figures_daily WHERE (center_id, business_day) IN (SELECT * FROM unnest($1::int[], $2::date[]))', [ids, days]);
        await client.query(
          `INSERT INTO figures_daily (center_id, business_day, service_id, ${PART_COLUMNS})
           SELECT center_id, business_day, service_id, ${PART_COLUMNS} FROM (${PARTS_OF_DAYS_SQL}) p`,
          [ids, days],
        );
      }
      await client.query('COMMIT');
      return claimed.rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Stores every dirty center-day (chunk by chunk) until none is left that it may take. On a read
   * replica (a dashboard-only instance, docs/province.md) it does nothing: the primary's
   * compactor fills the rollup and the replica receives it; reports stay exact either way.
   */
  async function compactAll(): Promise<number> {
    if ((await pool.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]?.r) return 0;
    let total = 0;
    for (;;) {
      const n = await compactChunk();
      total += n;
      if (n < chunk) return total;
    }
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const tick = () => {
    if (running) return;
    running = compactAll()
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => (running = null));
  };

  return {
    /** Per center (every registered one, or `centerIds`) and per service, like figures.report. */
    async report(q: FiguresQuery): Promise<CenterFigures[]> {
      const ids = q.centerIds ?? null;
      const [parts, services, centers] = await Promise.all([
        partsOf(q.from, q.to, ids),
        servicesOf(ids),
        pool.query<{ id: number; code: string; name: string }>('SELECT id, code, name FROM centers WHERE ($1::int[] IS NULL OR id = ANY ($1::int[])) ORDER BY code', [ids]),
      ]);
      const totals = new Map<number, FigureSums>();
      const perService = new Map<number, Map<number, FigureSums>>();
      for (const p of parts) {
        const target = services.get(`${p.center_id}:${p.service_id}`)?.target_wait_minutes ?? null;
        let t = totals.get(p.center_id);
        if (!t) totals.set(p.center_id, (t = new FigureSums()));
        t.add(p, target);
        let m = perService.get(p.center_id);
        if (!m) perService.set(p.center_id, (m = new Map()));
        let s = m.get(p.service_id);
        if (!s) m.set(p.service_id, (s = new FigureSums()));
        s.add(p, target);
      }
      return centers.rows.map((c) => ({
        centerId: c.id,
        code: c.code,
        name: c.name,
        totals: (totals.get(c.id) ?? new FigureSums()).row(),
        byService: [...(perService.get(c.id) ?? new Map<number, FigureSums>())]
          .sort(([a], [b]) => a - b)
          .map(([serviceId, sums]): ServiceFigures => {
            const s = services.get(`${c.id}:${serviceId}`);
            const target = s?.target_wait_minutes ?? null;
            const row = sums.row();
            return {
              serviceId,
              code: s?.code ?? null,
              name: s ? { vi: s.name_vi, en: s.name_en } : null,
              targetWaitMinutes: target,
              ...row,
              // A service without a target has no within-target share (not 0 %).
              withinTarget: target === null ? null : row.withinTarget,
            };
          }),
      }));
    },

    /** One center's figures for each business day of the range that has tickets, oldest first. */
    async byDay(centerId: number, from: string, to: string): Promise<DayFigures[]> {
      const [parts, services] = await Promise.all([partsOf(from, to, [centerId]), servicesOf([centerId])]);
      const days = new Map<string, FigureSums>();
      for (const p of parts) {
        let d = days.get(p.day);
        if (!d) days.set(p.day, (d = new FigureSums()));
        d.add(p, services.get(`${p.center_id}:${p.service_id}`)?.target_wait_minutes ?? null);
      }
      return [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, sums]) => ({ day, ...sums.row() }));
    },

    compactChunk,
    compactAll,

    /** Compacts in the background every intervalMs (the timer never keeps the process alive). */
    /**
     * Compacts in the background every intervalMs (the timer never keeps the process alive). The
     * first round also reads the last `warmDays` days once, so the first director to open a
     * report after a restart does not wait for the waits to be decoded.
     */
    start(): void {
      if (timer) return;
      timer = setInterval(tick, opts.intervalMs ?? 10_000);
      timer.unref();
      const warmDays = opts.warmDays ?? 90;
      const to = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - (warmDays - 1) * 86_400_000).toISOString().slice(0, 10);
      running = compactAll()
        .then(() => (warmDays > 0 && !stopped ? partsOf(from, to, null) : null))
        .catch((err: unknown) => opts.onError?.(err))
        .finally(() => (running = null));
    },

    /** Stops the background compactor and waits for a run in progress. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type Rollup = ReturnType<typeof createRollup>;
