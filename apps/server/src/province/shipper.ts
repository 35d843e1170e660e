import { PROVINCE_MAX_BODY_BYTES, type ProvinceErrorBody, type ProvinceErrorCode, type ProvinceLink, ProvinceStreamState } from '@luot/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import { createBatchReader, MAX_BATCH_EVENTS } from './batch.js';
import { ensureIdentity, readIdentity, setEpoch } from './identity.js';

/**
 * The center's side of the province roll-up (docs/province.md): ships the append-only
 * `ticket_events` log to the province in bounded batches, from a timer, never on a request's
 * path: issuing, calling and every screen go on whatever the link does.
 *
 * - On start (and after any refusal) it asks the province where this center's stream stands
 *   (GET ingest/state) and resumes from its ackSeq + 1.
 * - A batch: at most 500 events (fewer if the body would pass 1 MiB), POSTed with a timeout.
 * - Province down or slow: exponential backoff with jitter (1 s doubling to 5 min); the events
 *   wait in SQLite, nothing is lost, and it resumes from the province's ackSeq.
 * - The database went back in time (a restore the restore tool did not mark, or the province
 *   knows a later epoch of this center): it moves its epoch on and ships a new stream, so the
 *   province never takes the restored seqs for ones it already holds.
 * - Ratings are not events in the center's log: they travel beside them, from a cursor on the
 *   ratings table kept (with the last ackSeq) in the settings row `province_link`.
 * - Quiet times: every `heartbeatMs` it re-sends the last acknowledged event, so the province
 *   sees the center alive with its current waiting count.
 */
export type LinkStateName = ProvinceLink['state'];

/** The link as GET /api/v1/admin/province answers it (the protocol's ProvinceLink). */
export type LinkState = ProvinceLink;

/** The link of a center with no province configured (LUOT_PROVINCE_URL unset): off, nothing owed. */
export function linkOff(lastSeq: number): LinkState {
  return {
    configured: false,
    state: 'off',
    url: null,
    centerUid: null,
    epoch: null,
    lastAckSeq: null,
    lastSeq,
    behindEvents: 0,
    lastSuccessAt: null,
    lastError: null,
    nextAttemptAt: null,
  };
}

export interface ShipperOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** LUOT_PROVINCE_URL: the province service's base URL (…/api/v1/ingest is appended). */
  url: string;
  /** LUOT_PROVINCE_KEY: this center's key, given by the province admin. */
  key: string;
  /** How often to look for new events while the link is fine (default 1 s). */
  pollMs?: number;
  /** Re-send the last event after this long without a batch (default 60 s). */
  heartbeatMs?: number;
  /** One request's timeout (default 10 s). */
  timeoutMs?: number;
  /** Backoff while the province is down or refuses (default 1 s doubling to 5 min, with jitter). */
  backoff?: { baseMs: number; capMs: number };
  /** Events per batch (default and most 500). */
  maxEvents?: number;
  /** Tests: a fixed jitter. */
  random?: () => number;
}

export interface Shipper {
  start(): void;
  /** Stops the timer and any request in flight; resolves when nothing runs any more. */
  stop(): Promise<void>;
  state(): LinkState;
  /** New events were committed: ship soon (when idle and not backing off). Cheap; never waits. */
  kick(): void;
}

const LINK_KEY = 'province_link';
const BODY_LIMIT = PROVINCE_MAX_BODY_BYTES - 16 * 1024; // under the province's 1 MiB, with room to spare

interface SavedLink {
  centerUid: string;
  epoch: number;
  ackSeq: number;
  ratingCursor: number;
}

/** A refusal or failure of one exchange with the province. */
class LinkError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
    readonly body: unknown = null,
  ) {
    super(message);
  }
  /** The province said no to this center (not to this batch): wait for an admin, slowly. */
  get refused(): boolean {
    return this.status === 401 || this.status === 403 || this.code === ('CENTER_MISMATCH' satisfies ProvinceErrorCode) || this.code === 'INVALID_INPUT' || this.status === 400;
  }
}

/** The settings row the shipper keeps (also what retention may read: events after ackSeq are not shipped yet). */
export function readSavedLink(db: Db): SavedLink | null {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(LINK_KEY);
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as Partial<SavedLink>;
    if (typeof v.centerUid === 'string' && Number.isInteger(v.epoch) && Number.isInteger(v.ackSeq) && Number.isInteger(v.ratingCursor)) return v as SavedLink;
  } catch {
    /* not ours: start over */
  }
  return null;
}

export function createShipper(opts: ShipperOptions): Shipper {
  const { db, clock, logger } = opts;
  const base = opts.url.replace(/\/+$/, '');
  const pollMs = opts.pollMs ?? 1000;
  const heartbeatMs = opts.heartbeatMs ?? 60_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const backoff = opts.backoff ?? { baseMs: 1000, capMs: 5 * 60_000 };
  const random = opts.random ?? Math.random;
  const reader = createBatchReader(db);
  const saveStmt = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  let maxEvents = Math.min(opts.maxEvents ?? MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
  let started = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let inFlight: AbortController | null = null;
  let synced = false;
  let attempts = 0;
  let kicked = false;
  let lastSentMono = -Infinity;

  let centerUid: string | null = null;
  let epoch: number | null = null;
  let ackSeq: number | null = null;
  let ratingCursor = 0;
  let state: LinkStateName = 'off';
  let lastSuccessAt: number | null = null;
  let lastError: LinkState['lastError'] = null;
  let nextAttemptAt: number | null = null;

  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

  function setState(next: LinkStateName, err?: LinkError) {
    if (err) lastError = { code: err.code, message: err.message, at: new Date(clock.now()).toISOString() };
    if (next !== state) {
      if (next === 'ok') logger.info({ province: base, ackSeq }, 'province link ok');
      else logger.warn({ province: base, state: next, err: err ? { code: err.code, message: err.message } : undefined }, 'province link not ok');
    }
    state = next;
  }

  function save() {
    if (centerUid === null || epoch === null || ackSeq === null) return;
    const v: SavedLink = { centerUid, epoch, ackSeq, ratingCursor };
    const cur = readSavedLink(db);
    if (cur && cur.centerUid === v.centerUid && cur.epoch === v.epoch && cur.ackSeq === v.ackSeq && cur.ratingCursor === v.ratingCursor) return;
    saveStmt.run(LINK_KEY, JSON.stringify(v));
  }

  async function call(method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> {
    const ac = new AbortController();
    inFlight = ac;
    const timeout = setTimeout(() => ac.abort(new Error('timeout')), timeoutMs);
    try {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${opts.key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
          signal: ac.signal,
        });
      } catch (err) {
        const timedOut = ac.signal.aborted && !stopped;
        throw new LinkError(timedOut ? 'TIMEOUT' : 'UNREACHABLE', timedOut ? `no answer within ${timeoutMs} ms` : String((err as Error).cause ?? (err as Error).message), null);
      }
      const text = await res.text().catch(() => '');
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      if (res.ok) return parsed;
      // Any body may come back (a proxy's page): each field is checked before it is believed.
      const e = (parsed as { error?: Partial<Record<keyof ProvinceErrorBody, unknown>> } | null)?.error;
      throw new LinkError(typeof e?.code === 'string' ? e.code : `HTTP_${res.status}`, typeof e?.message === 'string' ? e.message : `HTTP ${res.status}`, res.status, parsed);
    } finally {
      clearTimeout(timeout);
      inFlight = null;
    }
  }

  /** The province's stream state, read with the wire's own schema (any body may come back: a proxy's page). */
  const asState = (v: unknown): ProvinceStreamState => {
    const s = ProvinceStreamState.safeParse(v);
    if (!s.success) throw new LinkError('BAD_ANSWER', 'the province answered something unexpected', 200);
    return s.data;
  };

  /** Where the province stands for this center; moves the epoch on if this database went back. */
  async function sync() {
    const id = ensureIdentity(db);
    const remote = asState(await call('GET', '/api/v1/ingest/state'));
    if (remote.centerUid !== null && remote.centerUid !== id.centerUid) {
      throw new LinkError('CENTER_MISMATCH' satisfies ProvinceErrorCode, `this key is bound to another center database (${remote.centerUid}); a province admin must re-bind it`, 409);
    }
    const lastSeq = reader.lastSeq();
    let e = id.epoch;
    let ack = 0;
    if (remote.epoch > e || (remote.epoch === e && remote.ackSeq > lastSeq)) {
      // The province holds a later epoch, or more of this one than this database ever wrote: this
      // database was put back to an earlier copy. A new stream, so nothing merges wrongly.
      e = remote.epoch + 1;
      setEpoch(db, e);
      logger.warn({ from: id.epoch, to: e, provinceEpoch: remote.epoch, provinceAck: remote.ackSeq, lastSeq }, 'center database went back in time: new province epoch');
    } else if (remote.epoch === e) {
      ack = remote.ackSeq;
    }
    const saved = readSavedLink(db);
    // Ratings sent before count only if the province still holds what was acknowledged with them.
    ratingCursor = saved && saved.centerUid === id.centerUid && saved.epoch === e && saved.ackSeq <= ack ? saved.ratingCursor : 0;
    centerUid = id.centerUid;
    epoch = readIdentity(db)?.epoch ?? e;
    ackSeq = ack;
    synced = true;
  }

  /** Sends what is new; returns when caught up. Throws a LinkError on any failure. */
  async function shipAll() {
    if (!synced) await sync();
    for (let gapRetries = 0; !stopped; ) {
      const heartbeat = clock.monotonic() - lastSentMono >= heartbeatMs;
      const read = reader.read({ centerUid: centerUid!, epoch: epoch!, ackSeq: ackSeq!, ratingCursor, maxEvents, heartbeat, now: clock.now() });
      if (!read) return;
      const body = JSON.stringify(read.batch);
      if (Buffer.byteLength(body) > BODY_LIMIT && maxEvents > 1) {
        maxEvents = Math.max(1, Math.floor(maxEvents / 2));
        continue;
      }
      let answer: ProvinceStreamState;
      try {
        answer = asState(await call('POST', '/api/v1/ingest', body));
      } catch (err) {
        if (!(err instanceof LinkError)) throw err;
        if (err.code === ('SEQ_GAP' satisfies ProvinceErrorCode) && gapRetries++ < 3) {
          // The province holds less than we thought (its database restored?): resume where it is.
          const at = (err.body as { error?: Partial<Record<keyof ProvinceErrorBody, unknown>> } | null)?.error?.ackSeq;
          if (typeof at === 'number' && at >= 0) {
            logger.warn({ ackSeq, provinceAck: at }, 'province asks to resend from an earlier seq');
            if (at < ackSeq!) ratingCursor = 0;
            ackSeq = at;
            continue;
          }
        }
        if (err.status === 413 && maxEvents > 1) {
          maxEvents = Math.max(1, Math.floor(maxEvents / 2));
          continue;
        }
        throw err;
      }
      lastSentMono = clock.monotonic();
      lastSuccessAt = clock.now();
      if (answer.epoch === epoch) {
        if (answer.ackSeq < ackSeq!) ratingCursor = 0; // the province lost some: send ratings again
        ackSeq = answer.ackSeq;
      }
      ratingCursor = Math.max(ratingCursor, read.ratingCursor);
      if (answer.ackSeq < read.batch.toSeq) {
        // Accepted but not acknowledged (should not happen): look again from the province's state.
        synced = false;
        return;
      }
      try {
        save();
      } catch (err) {
        // The center's disk is in trouble: the province has the batch; the cursor is kept in memory.
        logger.warn({ err }, 'province link state not saved');
      }
      if (!read.more) return;
    }
  }

  function schedule(ms: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    nextAttemptAt = state === 'ok' ? null : clock.now() + ms;
    timer = setTimeout(run, ms);
    timer.unref();
  }

  function run() {
    timer = null;
    if (stopped || running) return;
    kicked = false;
    running = (async () => {
      try {
        await shipAll();
        attempts = 0;
        setState('ok');
        schedule(kicked ? 0 : pollMs);
      } catch (err) {
        if (stopped) return;
        const e = err instanceof LinkError ? err : new LinkError('INTERNAL', (err as Error).message, null);
        if (!(err instanceof LinkError)) logger.error({ err }, 'province shipper failed');
        synced = false; // after any failure, ask the province where it stands before sending again
        attempts++;
        setState(e.refused ? 'refused' : 'retrying', e);
        const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(attempts - 1, 30));
        // "Equal jitter": half fixed, half random, so 65 centers coming back do not knock together.
        schedule(Math.round(ceiling / 2 + random() * (ceiling / 2)));
      } finally {
        running = null;
      }
    })();
  }

  return {
    start() {
      if (started) return;
      started = true;
      stopped = false;
      state = 'retrying';
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      inFlight?.abort(new Error('stopping'));
      await running;
      state = 'off';
    },
    kick() {
      // Only when idle on the poll timer: a backoff is never cut short by traffic.
      if (stopped || !started || state !== 'ok') return;
      if (running) {
        kicked = true;
        return;
      }
      schedule(0);
    },
    state(): LinkState {
      const lastSeq = reader.lastSeq();
      return {
        configured: true,
        state,
        url: base,
        centerUid,
        epoch,
        lastAckSeq: ackSeq,
        lastSeq,
        behindEvents: Math.max(0, lastSeq - (ackSeq ?? 0)),
        lastSuccessAt: iso(lastSuccessAt),
        lastError,
        nextAttemptAt: state === 'ok' || state === 'off' ? null : iso(nextAttemptAt),
      };
    },
  };
}
