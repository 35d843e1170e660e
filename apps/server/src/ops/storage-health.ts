import { statfsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Alerts } from '../alerts.js';
import type { Db } from '../db/open.js';
import type { StorageFault } from '../errors.js';

/**
 * The server's own staff alerts have no device behind them: device id 0, named so staff know
 * it is the server (device ids of kiosks and TVs start at 1).
 */
export const SERVER_DEVICE_ID = 0;
export const SERVER_DEVICE_NAME = 'Máy chủ / Server';

export const STORAGE_ALERTS = {
  full: {
    code: 'disk_full',
    messageVi: 'Ổ đĩa máy chủ đã đầy: không cấp được số mới. Báo bộ phận kỹ thuật giải phóng dung lượng; máy chủ tự hoạt động lại khi có chỗ trống.',
    message: 'The server’s disk is full: no new tickets can be issued. Ask IT to free disk space; the server resumes by itself once there is room.',
  },
  error: {
    code: 'storage_error',
    messageVi: 'Máy chủ không đọc/ghi được dữ liệu (lỗi ổ đĩa hoặc cơ sở dữ liệu). Báo bộ phận kỹ thuật.',
    message: 'The server cannot read or write its data (disk or database error). Tell IT.',
  },
} as const;

/** Free space under which the disk does not count as "back" yet: room for the WAL to grow. */
const MIN_FREE_BYTES = 1024 * 1024;

/** Bytes free for this process on the file system holding `dir`; null when the platform cannot say. */
export function freeBytes(dir: string): number | null {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/** Whether the file system holding `dir` is (nearly) full: less than the margin the WAL needs. */
export function diskIsFull(dir: string): boolean {
  const free = freeBytes(dir);
  return free !== null && free < MIN_FREE_BYTES;
}

export interface StorageHealthOptions {
  db: Db;
  /** The data directory, whose file system is checked for free space. */
  dataDir: string;
  alerts: Alerts;
  logger: Logger;
  /** How often a raised alert checks whether the disk is back (default 5 s). */
  probeMs?: number;
}

export interface StorageHealth {
  /** A request failed with a storage fault: raise the staff alert (once) and start probing. */
  report(fault: StorageFault, err?: unknown): void;
  /** The fault currently alerted, if any. */
  active(): StorageFault | null;
  /** One probe now (the timer's work); true when the disk works again and the alert was cleared. */
  probe(): boolean;
  stop(): void;
}

/**
 * Watches for storage faults the edges report (a full disk, an unreadable database): raises one
 * staff alert (`device:alert`, device 0 "Máy chủ / Server") on the counters and the admin
 * dashboard, then checks every few seconds whether a real write works again (free space above a
 * margin, and a small SQLite commit), and clears the alert when it does. Requests are never held
 * back meanwhile: each one tries SQLite and gets 503 while the disk is full, so service resumes
 * on the first request after space returns, alert or not.
 */
export function watchStorage(opts: StorageHealthOptions): StorageHealth {
  const log = opts.logger.child({ module: 'storage' });
  const probeMs = opts.probeMs ?? 5000;
  let current: StorageFault | null = null;
  let timer: NodeJS.Timeout | null = null;
  let probeStmt: ReturnType<Db['prepare']> | null = null;

  function alert(fault: StorageFault, active: boolean): void {
    const a = STORAGE_ALERTS[fault];
    opts.alerts.report({ deviceId: SERVER_DEVICE_ID, deviceName: SERVER_DEVICE_NAME, code: a.code, message: a.message, messageVi: a.messageVi, active });
  }

  function writesWork(): boolean {
    // (statfs unsupported: the SQLite write below decides alone.)
    if (diskIsFull(opts.dataDir)) return false;
    try {
      probeStmt ??= opts.db.prepare(`INSERT INTO settings (key, value) VALUES ('storage_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      probeStmt.run(JSON.stringify({ at: Date.now() }));
      return true;
    } catch {
      return false;
    }
  }

  function probe(): boolean {
    if (!current || !writesWork()) return false;
    log.warn({ fault: current }, 'storage works again: alert cleared');
    alert(current, false);
    current = null;
    if (timer) clearInterval(timer);
    timer = null;
    return true;
  }

  return {
    report(fault, err) {
      if (current === fault) return;
      if (current) alert(current, false);
      current = fault;
      log.error({ fault, err }, fault === 'full' ? 'disk full: staff alerted' : 'storage error: staff alerted');
      alert(fault, true);
      timer ??= setInterval(probe, probeMs);
      timer.unref();
    },
    active: () => current,
    probe,
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
