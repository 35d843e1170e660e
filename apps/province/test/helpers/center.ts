import pino from 'pino';
import type { Clock } from '../../../server/src/clock.js';
import { createShipper, type Shipper, type ShipperOptions } from '../../../server/src/province/shipper.js';
import { startTestServer, type TestServer } from '../../../server/test/helpers/test-server.js';
import type { TestProvince } from './province.js';

/** Quick retries for tests: the province is on loopback. */
export const FAST: Partial<ShipperOptions> = { pollMs: 20, timeoutMs: 3000, backoff: { baseMs: 20, capMs: 200 } };

export interface TestCenter {
  s: TestServer;
  shipper: Shipper;
  key: string;
  /** The province's id of this center. */
  centerId: number;
  /** Resolves once the province holds every event and rating of this center. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops the shipper and the server (keeps the data dir when asked). */
  close(o?: { keepData?: boolean }): Promise<void>;
}

/** A real center server (demo seed, a manual clock) with its shipper to `province`. */
export async function startCenter(o: {
  province: TestProvince;
  clock: Clock;
  code: string;
  /** Register a new center (default) or reuse this registration. */
  registration?: { id: number; key: string };
  dataDir?: string;
  shipper?: Partial<ShipperOptions>;
}): Promise<TestCenter> {
  const reg = o.registration ?? (await o.province.register(o.code));
  const s = await startTestServer({ clock: o.clock, ...(o.dataDir ? { dataDir: o.dataDir } : {}) });
  const shipper = createShipper({ db: s.db, clock: o.clock, logger: pino({ level: 'silent' }), url: o.province.url, key: reg.key, ...FAST, ...o.shipper });
  shipper.start();
  const c: TestCenter = {
    s,
    shipper,
    key: reg.key,
    centerId: reg.id,
    async caughtUp(timeoutMs = 20_000) {
      const ratings = () => (s.db.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n;
      const end = Date.now() + timeoutMs;
      for (;;) {
        const st = shipper.state();
        if (st.state === 'ok' && st.lastAckSeq === st.lastSeq) {
          const held = Number((await o.province.pool.query('SELECT count(*) AS n FROM ratings WHERE center_id = $1', [reg.id])).rows[0].n);
          if (held >= ratings()) return;
        }
        if (Date.now() > end) throw new Error(`center ${o.code} not caught up: ${JSON.stringify(shipper.state())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close(opts = {}) {
      await shipper.stop();
      await s.close(opts);
    },
  };
  return c;
}

/** A small deterministic PRNG (mulberry32): the same "day" every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DayStats {
  issued: number;
  served: number;
  noShows: number;
  transfers: number;
  ratings: number;
  cancelled: number;
  recalls: number;
}

/**
 * A stretch of a working day through the center's real HTTP API: the kiosk issues tickets (some
 * priority), four officers call, serve, recall, mark no-shows and transfer, citizens rate (4
 * levels), staff cancel some waiting tickets. The manual clock moves 20 s to 3 min per step.
 * `between` runs after each step (a test cuts or restores the link there).
 */
export async function simulate(c: TestCenter, o: { steps: number; rng: () => number; advance: (ms: number) => void; between?: (step: number) => Promise<void> }): Promise<DayStats> {
  const { s } = c;
  const { rng } = o;
  const stats: DayStats = { issued: 0, served: 0, noShows: 0, transfers: 0, ratings: 0, cancelled: 0, recalls: 0 };
  const ok = (r: { status: number; body: any }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  // Signed in afresh: the manual clock may have moved past an earlier session's expiry.
  const admin = await s.login('admin');
  const services: number[] = ok(await s.api('GET', '/services'), 'services').map((x: any) => x.id);
  const counters: { id: number; number: number }[] = ok(await s.api('GET', '/counters', { token: admin }), 'counters');
  const officers = new Map<number, string>();
  for (const ctr of counters) {
    const token = await s.login(`canbo${ctr.number}`);
    officers.set(ctr.id, token);
    ok(await s.api('POST', `/counters/${ctr.id}/open`, { token }), 'open');
  }
  const serving = new Map<number, { id: string; serviceId: number } | null>();
  const issued: string[] = [];
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)] as T;

  for (let step = 0; step < o.steps; step++) {
    o.advance(20_000 + Math.floor(rng() * 160_000));
    const arrivals = rng() < 0.6 ? 1 : rng() < 0.5 ? 2 : 0;
    for (let i = 0; i < arrivals; i++) {
      const t = ok(await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: pick(services), priority: rng() < 0.1 } }), 'issue');
      issued.push(t.id);
      stats.issued++;
    }
    // A citizen gives up: staff cancel a ticket nobody is serving (any other answer is fine too:
    // it may have been served already).
    const busy = new Set([...serving.values()].map((t) => t?.id));
    const idle = issued.filter((id) => !busy.has(id));
    if (rng() < 0.04 && idle.length) {
      const r = await s.api('POST', `/tickets/${pick(idle)}/cancel`, { token: admin, body: { reason: 'by_citizen' } });
      if (r.status === 200) stats.cancelled++;
    }
    for (const ctr of counters) {
      const token = officers.get(ctr.id)!;
      const current = serving.get(ctr.id) ?? null;
      const r = rng();
      if (current) {
        if (r < 0.55) {
          ok(await s.api('POST', `/counters/${ctr.id}/complete`, { token }), 'complete');
          stats.served++;
          serving.set(ctr.id, null);
          if (rng() < 0.6) {
            o.advance(5_000);
            ok(await s.api('POST', '/ratings', { token: admin, body: { ticketId: current.id, score: 1 + Math.floor(rng() * 4) } }), 'rate');
            stats.ratings++;
          }
        } else if (r < 0.65) {
          ok(await s.api('POST', `/counters/${ctr.id}/no-show`, { token }), 'no-show');
          stats.noShows++;
          serving.set(ctr.id, null);
        } else if (r < 0.72) {
          const to = services.filter((x) => x !== current.serviceId);
          ok(await s.api('POST', `/counters/${ctr.id}/transfer`, { token, body: { serviceId: pick(to) } }), 'transfer');
          stats.transfers++;
          serving.set(ctr.id, null);
        } else if (r < 0.76) {
          ok(await s.api('POST', `/counters/${ctr.id}/recall`, { token }), 'recall');
          stats.recalls++;
        }
      } else if (r < 0.8) {
        const called = ok(await s.api('POST', `/counters/${ctr.id}/call-next`, { token }), 'call-next');
        if (called.ticket) serving.set(ctr.id, { id: called.ticket.id, serviceId: called.ticket.serviceId });
      }
    }
    await o.between?.(step);
  }
  return stats;
}
