import { backoffDelay, systemTiming, type BackoffPolicy, type Timing } from '@luot/client';
import type { AbandonIssueResult } from '@luot/protocol';
import { ApiError } from './api.js';

/**
 * The taps this kiosk gave up on (docs/adr/0002-print-confirmation.md, "A tap the kiosk gave up
 * on"). When an issue request gets no answer for 20 s the citizen is told that no number was
 * issued; but the server may have issued one, whose answer was lost. That ticket has no paper and
 * nobody holding it: a counter would call it, wait, and mark it a no-show. So the tap's key is kept
 * here, in memory and in localStorage (a reload or a crash of the page keeps it), and
 * `POST /tickets/abandon` is sent for it as soon as the server answers again: at once, on every
 * `nudge` (the queue connection is live again, a request was answered, the browser is online),
 * and on a timer with backoff, until the server acknowledges it. Then it is forgotten.
 *
 * No React, no DOM beyond a Storage: testable against a real server.
 */

const STORAGE_KEY = 'luot.kiosk.abandonedTaps';
/** A key lives for its business day on the server; after a day there is nothing left to undo. */
const MAX_AGE_MS = 24 * 60 * 60_000;
/** 1 s, 2 s, 4 s… every 15 s at most: a kiosk whose network is back tells the server within seconds. */
export const ABANDON_RETRY: BackoffPolicy = { firstDelayMs: 1000, factor: 2, maxDelayMs: 15_000, jitter: 0.3 };

interface Entry {
  key: string;
  /** When the tap was given up (the kiosk's clock), to drop entries older than a day. */
  at: number;
}

export interface AbandonedTapsOptions {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  abandon(key: string): Promise<AbandonIssueResult>;
  timing?: Timing;
  policy?: BackoffPolicy;
  /** Told of each key the server acknowledged (logs, tests). */
  onSettled?(key: string, result: AbandonIssueResult | { outcome: 'refused'; code: string }): void;
}

export interface AbandonedTaps {
  /** Starts sending: at once for keys an earlier page left in storage. */
  start(): void;
  /** A tap given up on: kept (also in storage) and sent now (once started). */
  add(key: string): void;
  /** The server may be reachable again: send what is pending now, backoff reset. */
  nudge(): void;
  /** The keys not yet acknowledged. */
  pending(): string[];
  /** Stops the timer and sending; what is pending stays in storage. */
  stop(): void;
}

export function createAbandonedTaps(opts: AbandonedTapsOptions): AbandonedTaps {
  const timing = opts.timing ?? systemTiming;
  const policy = opts.policy ?? ABANDON_RETRY;
  let entries: Entry[] = load();
  let sending = false;
  let again = false;
  let failures = 0;
  let timer: unknown = null;
  let stopped = true;

  function load(): Entry[] {
    try {
      const raw: unknown = JSON.parse(opts.storage.getItem(STORAGE_KEY) ?? '[]');
      if (!Array.isArray(raw)) return [];
      const now = timing.now();
      return raw.filter((e): e is Entry => typeof e?.key === 'string' && typeof e?.at === 'number' && now - e.at < MAX_AGE_MS);
    } catch {
      return [];
    }
  }
  function save() {
    try {
      if (entries.length) opts.storage.setItem(STORAGE_KEY, JSON.stringify(entries));
      else opts.storage.removeItem(STORAGE_KEY);
    } catch {
      // Storage full or blocked: the key is still kept in memory for this page's life.
    }
  }
  function forget(key: string) {
    entries = entries.filter((e) => e.key !== key);
    save();
  }
  function schedule() {
    if (stopped || timer !== null || entries.length === 0) return;
    timer = timing.setTimeout(() => {
      timer = null;
      void send();
    }, backoffDelay(failures, policy, timing.random));
  }
  function cancelTimer() {
    if (timer !== null) timing.clearTimeout(timer);
    timer = null;
  }

  /** One pass over the pending keys, oldest first; a pass at a time (a nudge during one asks for another). */
  async function send(): Promise<void> {
    if (stopped) return;
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    cancelTimer();
    let unreachable = false;
    try {
      for (const { key } of [...entries]) {
        try {
          const r = await opts.abandon(key);
          forget(key);
          opts.onSettled?.(key, r);
        } catch (e) {
          // No answer, or the server failing (5xx): the same request later. Any other refusal is
          // an answer that will not change (a revoked kiosk, a malformed key): nothing more to do.
          if (e instanceof ApiError && (e.noAnswer || e.status >= 500)) {
            unreachable = true;
            break;
          }
          forget(key);
          opts.onSettled?.(key, { outcome: 'refused', code: e instanceof ApiError ? e.code : 'INTERNAL' });
        }
      }
    } finally {
      sending = false;
    }
    if (unreachable) failures++;
    else failures = 0;
    if (again && !unreachable) {
      again = false;
      return send();
    }
    again = false;
    schedule();
  }

  return {
    start() {
      stopped = false;
      // Keys left by an earlier page (a reload, a crash): sent as soon as possible.
      if (entries.length) void send();
    },
    add(key) {
      if (!entries.some((e) => e.key === key)) entries.push({ key, at: timing.now() });
      save();
      void send();
    },
    nudge() {
      if (entries.length === 0) return;
      failures = 0;
      void send();
    },
    pending: () => entries.map((e) => e.key),
    stop() {
      stopped = true;
      cancelTimer();
    },
  };
}
