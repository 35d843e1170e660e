import { localTime, parseClock } from '@luot/domain';
import type { Clock } from '../clock.js';

export interface DailyJobOptions {
  /** "HH:MM" in the center's time zone. */
  at: string;
  timeZone: () => string;
  clock: Clock;
  run: () => Promise<void>;
  /** Whether today's run already happened before this process started (e.g. a backup file of today). */
  alreadyDone?: (day: string) => boolean;
  /** After a failure, try again this much later (default 1 h): a USB stick plugged back in gets its backup. */
  retryMs?: number;
  onError?: (err: unknown) => void;
}

export interface DailyJob {
  /** Runs the job if it is due; resolves true if it ran. The timer calls this; tests call it with a manual clock. */
  tick(): Promise<boolean>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/**
 * Once a day at or after `at`, local time. Not a cron: a commune's PC is often switched off at
 * night, so a job whose time passed while the machine was off runs at the first tick after it
 * is on again (catch-up), and at most once per business day.
 */
export function dailyJob(opts: DailyJobOptions): DailyJob {
  const atMinutes = parseClock(opts.at);
  if (atMinutes === null) throw new Error(`bad time of day "${opts.at}"`);
  const retryMs = opts.retryMs ?? 60 * 60_000;
  let doneDay: string | null = null;
  let retryAfter = 0;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function tick(): Promise<boolean> {
    if (running) return false;
    const now = opts.clock.now();
    const t = localTime(now, opts.timeZone());
    if (t.hour * 60 + t.minute < atMinutes! || doneDay === t.date || now < retryAfter) return false;
    if (opts.alreadyDone?.(t.date)) {
      doneDay = t.date;
      return false;
    }
    running = opts.run().then(
      () => {
        doneDay = t.date;
        retryAfter = 0;
      },
      (err: unknown) => {
        retryAfter = now + retryMs;
        opts.onError?.(err);
      },
    );
    try {
      await running;
    } finally {
      running = null;
    }
    return true;
  }

  return {
    tick,
    start(intervalMs = 60_000) {
      timer ??= setInterval(() => void tick(), intervalMs);
      // A timer must not keep the process alive on shutdown.
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
