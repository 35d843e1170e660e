import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { toIsoWithOffset } from '@luot/domain';
import type { Alerts } from './alerts.js';
import type { Repos } from './db/repos.js';
import { SERVER_DEVICE_ID, SERVER_DEVICE_NAME } from './ops/storage-health.js';

/** Injected everywhere time matters, so day rollover and wait times are testable. */
export interface Clock {
  /** The wall clock (epoch ms): what tickets, days and opening hours go by. Can be set back. */
  now(): number;
  /**
   * Milliseconds on a clock that only moves forward at the pace of real time (performance.now),
   * whatever anyone does to the wall clock: what a clock jump is measured against.
   */
  monotonic(): number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };

/**
 * A clock tests move by hand. `set` and `advance` are time passing (both clocks move; `set` to an
 * earlier time moves only the wall clock, as setting a real clock back does); `jump` moves only
 * the wall clock, as someone setting the system clock (or an NTP step) does.
 */
export function manualClock(start: number): Clock & { set(ms: number): void; advance(ms: number): void; jump(byMs: number): void } {
  let t = start;
  let mono = 0;
  return {
    now: () => t,
    monotonic: () => mono,
    set: (ms) => {
      if (ms > t) mono += ms - t;
      t = ms;
    },
    advance: (ms) => {
      t += ms;
      mono += Math.max(0, ms);
    },
    jump: (byMs) => {
      t += byMs;
    },
  };
}

// ---- clock jumps ----

export interface ClockJump {
  /** Wall clock before and after (epoch ms). */
  from: number;
  to: number;
  /** How far the wall clock moved beyond real time: negative when it was set back. */
  skewMs: number;
}

export interface ClockReading {
  wall: number;
  mono: number;
}

/**
 * Between two readings the wall clock should move as far as the monotonic one; a difference of
 * more than `thresholdMs` is a jump (the clock was set, an NTP step, a VM resumed with a stale
 * clock). Small drift and NTP slewing stay well under the threshold.
 */
export function detectClockJump(before: ClockReading, after: ClockReading, thresholdMs: number): ClockJump | null {
  const skewMs = after.wall - before.wall - (after.mono - before.mono);
  return Math.abs(skewMs) > thresholdMs ? { from: before.wall, to: after.wall, skewMs } : null;
}

export interface ClockWatchOptions {
  clock: Clock;
  alerts: Alerts;
  repos: Repos;
  logger: Logger;
  /** A jump is a difference of more than this between the two clocks (default 2 minutes). */
  thresholdMs?: number;
  /** How often the clocks are compared (default 30 s). */
  intervalMs?: number;
  /** The alert is cleared this long (real time) after the last jump (default 30 minutes). */
  alertForMs?: number;
}

export interface ClockWatch {
  /** One comparison now (the timer's work): the jump found since the last one, if any. */
  check(): ClockJump | null;
  stop(): void;
}

const minutes = (ms: number) => Math.round(Math.abs(ms) / 60_000);

/**
 * Watches the wall clock against the monotonic one. A jump is logged (warn), written to the audit
 * log (`clock.jump`, with both times and the skew) and shown to staff as a server alert on the
 * counters and the admin dashboard, cleared by itself later. What the queue does about it needs
 * no alert: arrival order is a stored sequence, the business day never goes back, and a ticket's
 * times never run backwards (docs/architecture.md, "Time").
 */
export function watchClock(opts: ClockWatchOptions): ClockWatch {
  const { clock, alerts, repos } = opts;
  const log = opts.logger.child({ module: 'clock' });
  const thresholdMs = opts.thresholdMs ?? 2 * 60_000;
  const alertForMs = opts.alertForMs ?? 30 * 60_000;
  const read = (): ClockReading => ({ wall: clock.now(), mono: clock.monotonic() });
  let last = read();
  let alertedAt: number | null = null;

  function check(): ClockJump | null {
    const now = read();
    const jump = detectClockJump(last, now, thresholdMs);
    last = now;
    if (!jump) {
      if (alertedAt !== null && now.mono - alertedAt >= alertForMs) {
        alertedAt = null;
        alerts.report({ deviceId: SERVER_DEVICE_ID, deviceName: SERVER_DEVICE_NAME, code: 'clock_jump', message: 'Server clock: back to normal.', messageVi: 'Đồng hồ máy chủ: đã bình thường.', active: false });
      }
      return null;
    }
    const tz = repos.settings.center().timeZone;
    const from = toIsoWithOffset(jump.from, tz);
    const to = toIsoWithOffset(jump.to, tz);
    const back = jump.skewMs < 0;
    log.warn({ from, to, skewMs: jump.skewMs }, back ? 'clock jump: the wall clock was set back' : 'clock jump: the wall clock jumped forward');
    try {
      repos.audit.add(jump.to, null, 'clock.jump', null, { from, to, skewMs: jump.skewMs });
    } catch (err) {
      // A full disk must not stop the alert (the storage watch reports the disk itself).
      log.error({ err }, 'clock jump not audited');
    }
    alertedAt = now.mono;
    alerts.report({
      deviceId: SERVER_DEVICE_ID,
      deviceName: SERVER_DEVICE_NAME,
      code: 'clock_jump',
      messageVi: back
        ? `Đồng hồ máy chủ vừa bị lùi khoảng ${minutes(jump.skewMs)} phút (${from} → ${to}). Thứ tự gọi số và ngày làm việc không bị ảnh hưởng; kiểm tra giờ hệ thống của máy chủ.`
        : `Đồng hồ máy chủ vừa nhảy tới khoảng ${minutes(jump.skewMs)} phút (${from} → ${to}). Thứ tự gọi số không bị ảnh hưởng; kiểm tra giờ hệ thống của máy chủ.`,
      message: back
        ? `The server clock was set back by about ${minutes(jump.skewMs)} min (${from} → ${to}). Calling order and the business day are unaffected; check the server's system time.`
        : `The server clock jumped forward by about ${minutes(jump.skewMs)} min (${from} → ${to}). Calling order is unaffected; check the server's system time.`,
      active: true,
    });
    return jump;
  }

  const timer = setInterval(() => {
    try {
      check();
    } catch (err) {
      log.error({ err }, 'clock check failed');
    }
  }, opts.intervalMs ?? 30_000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
